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

    /// <summary>
    /// The first events, and from the log's last 64 KB the last result, the last turn_end and the highest seq: enough
    /// to list a turn without reading all of it. The tail is read from its end backwards, and only the lines that can
    /// hold one of these are parsed (every event's JSON starts with its type), so a long turn costs little more than a
    /// short one. A line cut by the 64 KB window, or torn, is skipped.
    /// </summary>
    public TurnLogEnds ReadEnds(int headLines = 8)
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
        ReadOnlySpan<byte> tail = bytes;
        if (start > 0)
        {
            var firstBreak = tail.IndexOf((byte)'\n');
            tail = firstBreak < 0 ? [] : tail[(firstBreak + 1)..];
        }
        TurnResult? result = null;
        TurnEnd? end = null;
        long? lastSeq = null;
        while (tail.Length > 0 && (result is null || end is null || lastSeq is null))
        {
            var lineBreak = tail.LastIndexOf((byte)'\n');
            var line = tail[(lineBreak + 1)..];
            tail = lineBreak < 0 ? [] : tail[..lineBreak];
            var wanted = lastSeq is null || (result is null && line.StartsWith(ResultStart)) || (end is null && line.StartsWith(EndStart));
            if (!wanted || Parse(line) is not { } e) continue;
            lastSeq ??= e.Seq;
            if (e is TurnResult found) result ??= found;
            if (e is TurnEnd ending) end ??= ending;
        }
        var highest = Math.Max(lastSeq ?? 0, head.Count > 0 ? head.Max(e => e.Seq) : 0);
        return new TurnLogEnds(head, result, end, highest);
    }

    private static ReadOnlySpan<byte> ResultStart => """{"type":"result","""u8;

    private static ReadOnlySpan<byte> EndStart => """{"type":"turn_end","""u8;

    private static TurnEvent? Parse(ReadOnlySpan<byte> line)
    {
        if (line.IndexOfAnyExcept(" \t\r"u8) < 0) return null;
        try
        {
            return TurnEventJson.Deserialize(line);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
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
