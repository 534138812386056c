using System.Text;
using System.Text.Json;
using Konui.Core.Konsole;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// A session's settled state on disk, one <see cref="SessionRecord"/> per line, appended (one write per line) as it
/// changes. Written rarely (a mode, a model, a rule, a queued prompt), so each append opens the file.
/// </summary>
internal sealed class SessionLog(string path)
{
    public string Path { get; } = path;

    /// <summary>Appends one record; a failed write (a full disk) is logged and the change lives on in memory.</summary>
    public void Append(SessionRecord record, ILogger logger)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var line = JsonSerializer.SerializeToUtf8Bytes(record, KonsoleJson.Options);
            using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
            file.Write([.. line, (byte)'\n']);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not write {Record} to {Log}", record.GetType().Name, Path);
        }
    }

    /// <summary>Every record in the log, in order; a line that cannot be read (a torn write) is skipped and reported.</summary>
    public IReadOnlyList<SessionRecord> ReadAll(ILogger logger)
    {
        if (!File.Exists(Path)) return [];
        var records = new List<SessionRecord>();
        var number = 0;
        foreach (var line in File.ReadLines(Path, Encoding.UTF8))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<SessionRecord>(line, KonsoleJson.Options) is { } record) records.Add(record);
            }
            catch (JsonException)
            {
                logger.LogWarning("{Log} line {Line} is not a session record; skipped", Path, number);
            }
        }
        return records;
    }
}
