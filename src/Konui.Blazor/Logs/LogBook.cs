using System.Threading.Channels;

namespace Konui.Blazor.Logs;

/// <summary>
/// Konui's log as the Logs page reads it: the newest entries in memory, every entry in a daily file under
/// data/logs (kept for a week), and live entries for whoever follows along. Writing never waits on a reader.
/// </summary>
public sealed class LogBook : IDisposable
{
    public const int EntriesKept = 5000;
    private const int FilesKept = 7;

    private readonly Lock _gate = new();
    private readonly LogEntry[] _ring = new LogEntry[EntriesKept];
    private readonly Channel<LogEntry> _toFile = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Task _writer;
    private Action<LogEntry>[] _followers = [];
    private long _seq;

    public LogBook(string directory, TimeProvider time)
    {
        Directory = directory;
        Time = time;
        _writer = Task.Run(WriteFilesAsync);
    }

    public string Directory { get; }

    public TimeProvider Time { get; }

    public void Add(LogLevel level, string category, string message, string? exception, string? session)
    {
        LogEntry entry;
        Action<LogEntry>[] followers;
        lock (_gate)
        {
            entry = new LogEntry(++_seq, Time.GetUtcNow(), level, category, message, exception, session);
            _ring[entry.Seq % EntriesKept] = entry;
            followers = _followers;
        }
        _toFile.Writer.TryWrite(entry);
        foreach (var follower in followers) follower(entry);
    }

    /// <summary>The kept entries, oldest first.</summary>
    public IReadOnlyList<LogEntry> Recent()
    {
        lock (_gate)
        {
            var count = (int)Math.Min(_seq, EntriesKept);
            var entries = new List<LogEntry>(count);
            for (var seq = _seq - count + 1; seq <= _seq; seq++) entries.Add(_ring[seq % EntriesKept]);
            return entries;
        }
    }

    /// <summary>Calls <paramref name="follower"/> with every new entry (on the logging thread: keep it quick). Dispose to stop.</summary>
    public IDisposable Follow(Action<LogEntry> follower)
    {
        lock (_gate) _followers = [.. _followers, follower];
        return new Unfollow(this, follower);
    }

    /// <summary>Today's log file (the one the Logs page downloads).</summary>
    public string CurrentFile => Path.Combine(Directory, $"konui-{Time.GetUtcNow():yyyyMMdd}.log");

    private async Task WriteFilesAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        StreamWriter? writer = null;
        string? path = null;
        await foreach (var entry in _toFile.Reader.ReadAllAsync())
        {
            try
            {
                var wanted = Path.Combine(Directory, $"konui-{entry.At:yyyyMMdd}.log");
                if (wanted != path)
                {
                    if (writer is not null) await writer.DisposeAsync();
                    path = wanted;
                    writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));
                    DeleteOldFiles();
                }
                await writer!.WriteLineAsync(entry.ToLine());
                if (_toFile.Reader.Count == 0) await writer.FlushAsync();
            }
            catch (IOException)
            {
                writer = null;
                path = null;
            }
        }
        if (writer is not null) await writer.DisposeAsync();
    }

    private void DeleteOldFiles()
    {
        foreach (var old in System.IO.Directory.GetFiles(Directory, "konui-*.log").Order().Reverse().Skip(FilesKept))
        {
            File.Delete(old);
        }
    }

    public void Dispose()
    {
        _toFile.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
    }

    private sealed class Unfollow(LogBook book, Action<LogEntry> follower) : IDisposable
    {
        public void Dispose()
        {
            lock (book._gate) book._followers = book._followers.Where(f => f != follower).ToArray();
        }
    }
}
