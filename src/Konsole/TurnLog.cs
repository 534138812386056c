using System.Text;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// A turn's events on disk, one JSON object per line, appended as they arrive: the source of truth a reader
/// replays from after a reload or a restart.
/// </summary>
internal sealed class TurnLog : IDisposable
{
    private const int TailBytes = 64 * 1024;
    private FileStream? _writer;

    public TurnLog(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Appends one event, already serialized (see <see cref="TurnEventJson.SerializeToUtf8"/>).</summary>
    public void Append(byte[] line)
    {
        if (_writer is null)
        {
            _writer = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024);
            if (EndsMidLine()) _writer.WriteByte((byte)'\n');
        }
        _writer.Write(line);
        _writer.WriteByte((byte)'\n');
        _writer.Flush();
    }

    /// <summary>A run that died mid-write left a partial last line: what is appended now starts on a line of its own.</summary>
    private bool EndsMidLine()
    {
        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length == 0) return false;
        file.Position = file.Length - 1;
        return file.ReadByte() != '\n';
    }

    /// <summary>Every event in the log; a line that cannot be read (a torn last write) is skipped.</summary>
    public IReadOnlyList<TurnEvent> ReadAll(ILogger logger)
    {
        var events = new List<TurnEvent>();
        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file, Encoding.UTF8);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (Parse(line) is { } e) events.Add(e);
            else logger.LogWarning("{Log} line {Line} is not a turn event; skipped", Path, number);
        }
        return events;
    }

    /// <summary>The first events and the last ones: enough to list a turn without reading all of it.</summary>
    public (IReadOnlyList<TurnEvent> Head, IReadOnlyList<TurnEvent> Tail) ReadEnds(int headLines = 8)
    {
        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var head = new List<TurnEvent>();
        using (var reader = new StreamReader(file, Encoding.UTF8, false, 4096, leaveOpen: true))
        {
            for (var i = 0; i < headLines && reader.ReadLine() is { } line; i++)
            {
                if (Parse(line) is { } e) head.Add(e);
            }
        }
        var start = Math.Max(0, file.Length - TailBytes);
        file.Position = start;
        var bytes = new byte[file.Length - start];
        file.ReadExactly(bytes);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        var tail = lines.Skip(start > 0 ? 1 : 0).Select(Parse).OfType<TurnEvent>().ToList();
        return (head, tail);
    }

    private static TurnEvent? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            return TurnEventJson.Deserialize(line);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
