using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Konui.Core.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Konui.Core.Kontasks;

/// <summary>
/// The kontasks in kontasks.jsonl: append-only, one JSON object per line, the newest line of an id wins.
/// On start the whole file is indexed; after that only the bytes appended since the last offset are read, when a
/// FileSystemWatcher reports a change and on a periodic check (watchers miss events). Every new or changed
/// kontask is published on the <see cref="EventBus"/>, whoever appended it. The index is kept between starts in
/// <see cref="KontaskIndexFile"/>, so a start parses only the lines appended since it was written.
/// </summary>
public sealed class KontaskStore : IDisposable
{
    private const int FingerprintBytes = 64;
    private const int BlockBytes = 1 << 20;

    /// <summary>From this size on, a first index parses blocks of lines in parallel.</summary>
    private const long ParallelIndexBytes = 4 * BlockBytes;

    /// <summary>
    /// About what the summary of one kontask takes in memory, with room to spare (100,000 take 116 MB): a first index
    /// keeps them all, so it allocates that much for each kontask the file is judged to hold without collecting.
    /// </summary>
    private const long SummaryBytes = 2048;
    private static readonly byte[] Newline = "\n"u8.ToArray();

    private readonly KontaskStoreOptions _options;
    private readonly EventBus _bus;
    private readonly ILogger _logger;
    private readonly Lock _indexGate = new();
    private readonly Lock _tailGate = new();
    private readonly Dictionary<string, KontaskSummary> _byId = new(StringComparer.Ordinal);
    private readonly List<KontaskSummary> _oldestFirst = [];
    private readonly Wakeup _changed = new();
    private readonly ManualResetEventSlim _firstIndexDone = new(initialState: true);
    private readonly CancellationTokenSource _stop = new();
    private bool _indexed;
    private long _nextOrdinal;
    private long _offset;
    private long _lineCount;
    private byte[] _headPrint = [];
    private byte[] _tailPrint = [];
    private readonly FacetCounts _facets = new();
    private readonly KontaskIndexReader _reader = new();
    private FileSystemWatcher? _watcher;
    private Task? _follow;
    private Task _indexFileWrite = Task.CompletedTask;
    private long _linesSinceIndexFile;

    public KontaskStore(KontaskStoreOptions options, EventBus bus, ILogger<KontaskStore>? logger = null)
    {
        _options = options;
        _bus = bus;
        _logger = logger ?? NullLogger<KontaskStore>.Instance;
    }

    public string FilePath => _options.FilePath;

    public int Count
    {
        get
        {
            WaitForFirstIndex();
            return Indexed;
        }
    }

    /// <summary>How many kontasks the index holds now, without waiting for a first index under way.</summary>
    private int Indexed
    {
        get { lock (_indexGate) return _byId.Count; }
    }

    /// <summary>Indexes the file, then follows it until disposed.</summary>
    public void Start()
    {
        try
        {
            CatchUp();
        }
        finally
        {
            _firstIndexDone.Set();
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(_options.FilePath))!;
        Directory.CreateDirectory(directory);
        _watcher = new FileSystemWatcher(directory, Path.GetFileName(_options.FilePath))
        {
            NotifyFilter = NotifyFilters.Size | NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => _changed.Wake();
        _watcher.Created += (_, _) => _changed.Wake();
        _watcher.Deleted += (_, _) => _changed.Wake();
        _watcher.Renamed += (_, _) => _changed.Wake();
        _watcher.Error += (_, e) => _logger.LogWarning(e.GetException(), "Watching {File} failed; the periodic check goes on", _options.FilePath);
        _watcher.EnableRaisingEvents = true;
        _follow = Task.Run(FollowAsync);
    }

    /// <summary>
    /// <see cref="Start"/> on the thread pool: returns at once, so Konui listens while the file is indexed; until the
    /// first index is done, reading the store waits for it.
    /// </summary>
    public void StartInBackground()
    {
        _firstIndexDone.Reset();
        // A thread of its own: indexing waits for the blocks it hands the thread pool, which Konui's start needs too.
        _ = Task.Factory.StartNew(() =>
        {
            try
            {
                Start();
            }
            catch (ObjectDisposedException)
            {
                // Konui stopped while it was starting: there is nothing to follow.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                _logger.LogError(ex, "Watching {File} could not start: kontasks other processes append show up only when Konui appends one", _options.FilePath);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void WaitForFirstIndex() => _firstIndexDone.Wait();

    /// <summary>Appends a kontask as one line. The index learns of it through the same tail read as any other line.</summary>
    public void Append(Kontask kontask)
    {
        KontaskFile.AppendLine(_options.FilePath, KontaskJson.SerializeLine(kontask));
        CatchUp();
    }

    public KontaskSummary? FindSummary(string id)
    {
        WaitForFirstIndex();
        lock (_indexGate) return _byId.GetValueOrDefault(id);
    }

    /// <summary>
    /// The full newest record of a kontask, read from the file; for a record over the size limit (another process
    /// appended it), its summary with a note in place of the output, so no page gets huge.
    /// </summary>
    public Kontask? Get(string id)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var summary = FindSummary(id);
            if (summary is null) return null;
            if (summary.IsOversize) return Oversize(summary);
            var kontask = ReadAt(summary);
            if (kontask?.Id == id) return kontask;
            CatchUp();
        }
        return null;
    }

    public KontaskPage Query(KontaskQuery query)
    {
        var skip = Math.Max(0, query.Skip);
        var take = Math.Max(0, query.Take);
        WaitForFirstIndex();
        lock (_indexGate)
        {
            if (!query.HasFilter)
            {
                var total = _oldestFirst.Count;
                var items = new List<KontaskSummary>(Math.Min(take, Math.Max(0, total - skip)));
                for (var i = total - 1 - skip; i >= 0 && items.Count < take; i--) items.Add(_oldestFirst[i]);
                return new KontaskPage(items, total);
            }
            var matches = 0;
            var window = new List<KontaskSummary>();
            for (var i = _oldestFirst.Count - 1; i >= 0; i--)
            {
                var k = _oldestFirst[i];
                if (!query.Matches(k)) continue;
                if (matches >= skip && window.Count < take) window.Add(k);
                matches++;
            }
            return new KontaskPage(window, matches);
        }
    }

    public KontaskFacets Facets()
    {
        WaitForFirstIndex();
        lock (_indexGate) return _facets.Facets;
    }

    /// <summary>
    /// Reads what was appended since the last call and publishes it. A truncated or replaced file is re-indexed
    /// from the start; a last line without its newline is left for the next call.
    /// </summary>
    public void CatchUp()
    {
        lock (_tailGate)
        {
            var events = new List<KontaskEvent>();
            try
            {
                ReadNewLines(events);
            }
            catch (IOException ex)
            {
                _logger.LogWarning(ex, "Reading {File} failed; retrying on the next change", _options.FilePath);
            }
            foreach (var e in events) _bus.Publish(e);
            if (_linesSinceIndexFile >= _options.IndexFileEvery && _indexFileWrite.IsCompleted) _indexFileWrite = Task.Run(WriteIndexFile);
        }
    }

    private void ReadNewLines(List<KontaskEvent> events)
    {
        if (!File.Exists(_options.FilePath))
        {
            if (_offset > 0 || Indexed > 0) Reset(events, "was removed");
            _indexed = true;
            return;
        }
        using var file = OpenRead(_options.FilePath);
        var length = file.Length;
        var indexing = !_indexed;
        if (indexing && _offset == 0) ReadIndexFile(file);
        if (length < _offset)
        {
            Reset(events, "was truncated");
            indexing = true;
        }
        else if (_offset > 0 && !FingerprintsMatch(file))
        {
            Reset(events, "was replaced");
            indexing = true;
        }
        _indexed = true;
        if (length == _offset) return;

        var started = Stopwatch.GetTimestamp();
        file.Position = _offset;
        var linesBefore = _lineCount;
        ReadLines(file, indexing ? null : events);
        _linesSinceIndexFile += _lineCount - linesBefore;
        if (indexing && _logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("Indexed {Count} kontasks from {File} in {Elapsed}", Indexed, _options.FilePath,
                Stopwatch.GetElapsedTime(started));
        }
        TakeFingerprints(file);
    }

    private void Reset(List<KontaskEvent> events, string why)
    {
        _logger.LogWarning("{File} {Why}: re-indexing it", _options.FilePath, why);
        lock (_indexGate)
        {
            _byId.Clear();
            _oldestFirst.Clear();
            _facets.Clear();
        }
        _offset = 0;
        _lineCount = 0;
        _headPrint = [];
        _tailPrint = [];
        events.Clear();
        events.Add(new KontasksReloaded());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadLines(FileStream file, List<KontaskEvent>? events)
    {
        if (events is null && file.Length - _offset >= ParallelIndexBytes)
        {
            IndexInBlocks(file);
            return;
        }
        var buffer = new byte[BlockBytes];
        var filled = 0;
        var bufferStart = _offset;
        while (true)
        {
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = file.Read(buffer, filled, buffer.Length - filled);
            if (read == 0) break;
            filled += read;
            var consumed = 0;
            while (true)
            {
                var newline = buffer.AsSpan(consumed, filled - consumed).IndexOf(Newline);
                if (newline < 0) break;
                _lineCount++;
                var parsed = Parse(_reader, buffer.AsSpan(consumed, newline), bufferStart + consumed, _lineCount);
                if (!parsed.IsBlank) Apply(parsed, events);
                consumed += newline + 1;
            }
            _offset = bufferStart + consumed;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            bufferStart = _offset;
        }
    }

    /// <summary>
    /// Indexes a large file: blocks of whole lines are parsed on the thread pool, a few ahead, and applied in the
    /// file's order, so the newest line of an id still wins and each warning names its line. A last line without
    /// its newline waits, as in <see cref="ReadLines"/>.
    /// </summary>
    private void IndexInBlocks(FileStream file)
    {
        var ahead = Math.Clamp(Environment.ProcessorCount, 2, 4);
        var readers = new KontaskIndexReader[ahead];
        readers[0] = _reader;
        var parsing = new Queue<Task<ParsedLine[]>>();
        var carried = Array.Empty<byte>();
        var blocks = 0;
        NoCollectionRegion? keeping = null;
        try
        {
            while (true)
            {
                // Blocks come from the shared pool and go back to it once parsed: a fresh megabyte per block would be
                // a large-object allocation each, and a full collection every few of them.
                var block = ArrayPool<byte>.Shared.Rent(Math.Max(BlockBytes, carried.Length * 2));
                carried.CopyTo(block, 0);
                var filled = carried.Length;
                var read = 0;
                while (filled < block.Length && (read = file.Read(block, filled, block.Length - filled)) > 0) filled += read;
                var end = block.AsSpan(0, filled).LastIndexOf(Newline) + 1;
                carried = block[end..filled];
                if (end == 0)
                {
                    ArrayPool<byte>.Shared.Return(block);
                }
                else
                {
                    if (blocks == 0) keeping = NoCollectionRegion.Begin(SummaryBytes * MakeRoomFor(file.Length, block.AsSpan(0, end)));
                    if (parsing.Count == ahead) ApplyBlock(parsing.Dequeue().Result);
                    var reader = readers[blocks++ % ahead] ??= new KontaskIndexReader();
                    var (start, firstLine) = (_offset, _lineCount + 1);
                    _offset += end;
                    _lineCount += block.AsSpan(0, end).Count((byte)'\n');
                    parsing.Enqueue(Task.Run(() => ParseBlock(reader, block, end, start, firstLine)));
                }
                if (read == 0 && filled < block.Length) break;
            }
            while (parsing.Count > 0) ApplyBlock(parsing.Dequeue().Result);
        }
        finally
        {
            keeping?.Dispose();
        }
    }

    /// <summary>
    /// Sizes the index for the kontasks a file of <paramref name="length"/> bytes holds, judged by its first lines, so
    /// that it is not grown (and copied, and collected) step by step.
    /// </summary>
    private int MakeRoomFor(long length, ReadOnlySpan<byte> firstLines)
    {
        var lines = firstLines.Count((byte)'\n');
        var expected = (int)Math.Min(10_000_000, length * lines / Math.Max(1, firstLines.Length) * 11 / 10);
        lock (_indexGate)
        {
            _byId.EnsureCapacity(_byId.Count + expected);
            _oldestFirst.EnsureCapacity(_oldestFirst.Count + expected);
        }
        return expected;
    }

    private void ApplyBlock(ParsedLine[] lines)
    {
        foreach (var line in lines) Apply(line, null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ParsedLine[] ParseBlock(KontaskIndexReader reader, byte[] block, int length, long blockOffset, long firstLine)
    {
        var lines = new List<ParsedLine>(length / 1024 + 1);
        var lineNumber = firstLine;
        for (var consumed = 0; consumed < length; lineNumber++)
        {
            var newline = block.AsSpan(consumed, length - consumed).IndexOf(Newline);
            var parsed = Parse(reader, block.AsSpan(consumed, newline), blockOffset + consumed, lineNumber);
            if (!parsed.IsBlank) lines.Add(parsed);
            consumed += newline + 1;
        }
        ArrayPool<byte>.Shared.Return(block);
        return [.. lines];
    }

    /// <summary>One line as read for the index: its summary, or why it has none (blank lines are passed over).</summary>
    private readonly record struct ParsedLine(long LineNumber, KontaskSummary? Summary, string? Error, bool IsBlank);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ParsedLine Parse(KontaskIndexReader reader, ReadOnlySpan<byte> line, long offset, long lineNumber)
    {
        if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
        if (line.Trim(" \t"u8).IsEmpty) return new ParsedLine(lineNumber, null, null, true);
        try
        {
            return new ParsedLine(lineNumber, reader.Read(line, offset, lineNumber), null, false);
        }
        catch (JsonException ex)
        {
            return new ParsedLine(lineNumber, null, ex.Message, false);
        }
    }

    private void Apply(in ParsedLine line, List<KontaskEvent>? events)
    {
        if (line.Error is { } error)
        {
            _logger.LogWarning("{File} line {Line}: not a kontask ({Reason}); skipped", _options.FilePath, line.LineNumber, error);
            return;
        }
        if (line.Summary is not { } summary)
        {
            _logger.LogWarning("{File} line {Line}: a kontask needs an \"id\"; skipped", _options.FilePath, line.LineNumber);
            return;
        }
        var isNew = Upsert(summary);
        events?.Add(isNew ? new KontaskReady(summary) : new KontaskUpdated(summary));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Upsert(KontaskSummary summary)
    {
        lock (_indexGate)
        {
            _facets.Add(summary);
            if (_byId.TryGetValue(summary.Id, out var previous))
            {
                _facets.Remove(previous);
                summary.Ordinal = previous.Ordinal;
                var at = IndexOf(previous);
                if (previous.SortTicks == summary.SortTicks)
                {
                    _oldestFirst[at] = summary;
                }
                else
                {
                    _oldestFirst.RemoveAt(at);
                    Insert(summary);
                }
                _byId[summary.Id] = summary;
                return false;
            }
            summary.Ordinal = _nextOrdinal++;
            _byId[summary.Id] = summary;
            Insert(summary);
            return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Insert(KontaskSummary summary)
    {
        var count = _oldestFirst.Count;
        if (count == 0 || Compare(_oldestFirst[count - 1], summary) <= 0)
        {
            _oldestFirst.Add(summary);
            return;
        }
        var at = _oldestFirst.BinarySearch(summary, SortOrder.Instance);
        _oldestFirst.Insert(at < 0 ? ~at : at, summary);
    }

    private int IndexOf(KontaskSummary summary)
    {
        var at = _oldestFirst.BinarySearch(summary, SortOrder.Instance);
        return at >= 0 ? at : throw new InvalidOperationException($"Kontask {summary.Id} is missing from the order");
    }

    private static int Compare(KontaskSummary a, KontaskSummary b)
    {
        var byTime = a.SortTicks.CompareTo(b.SortTicks);
        return byTime != 0 ? byTime : a.Ordinal.CompareTo(b.Ordinal);
    }

    private sealed class SortOrder : IComparer<KontaskSummary>
    {
        public static readonly SortOrder Instance = new();
        public int Compare(KontaskSummary? x, KontaskSummary? y) => KontaskStore.Compare(x!, y!);
    }

    private bool FingerprintsMatch(FileStream file) => FingerprintsMatch(file, _offset, _headPrint, _tailPrint);

    private static bool FingerprintsMatch(FileStream file, long offset, byte[] headPrint, byte[] tailPrint) =>
        file.Length >= offset
        && ReadRange(file, 0, headPrint.Length).SequenceEqual(headPrint)
        && ReadRange(file, offset - tailPrint.Length, tailPrint.Length).SequenceEqual(tailPrint);

    /// <summary>
    /// Starts the index from the index file when it was written for this kontasks file (the lines it covers still
    /// start and end as they did); the lines after them are then read as appended ones.
    /// </summary>
    private void ReadIndexFile(FileStream file)
    {
        if (_options.IndexFilePath is not { } path) return;
        var started = Stopwatch.GetTimestamp();
        KontaskIndexSnapshot? snapshot;
        try
        {
            snapshot = KontaskIndexFile.Read(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("The kontask index {Index} is not used, {Reason}: indexing {File} from its lines", path, ex.Message, _options.FilePath);
            return;
        }
        if (snapshot is null) return;
        if (!FingerprintsMatch(file, snapshot.Offset, snapshot.HeadPrint, snapshot.TailPrint))
        {
            _logger.LogInformation("The kontask index {Index} was written for another {File}: indexing it from its lines", path, _options.FilePath);
            return;
        }
        lock (_indexGate)
        {
            _byId.EnsureCapacity(snapshot.OldestFirst.Count);
            _oldestFirst.EnsureCapacity(snapshot.OldestFirst.Count);
            foreach (var summary in snapshot.OldestFirst)
            {
                _byId[summary.Id] = summary;
                _oldestFirst.Add(summary);
                _facets.Add(summary);
            }
        }
        _offset = snapshot.Offset;
        _lineCount = snapshot.LineCount;
        _nextOrdinal = snapshot.NextOrdinal;
        _logger.LogInformation("Read the index of {Count} kontasks from {Index} in {Elapsed}", snapshot.OldestFirst.Count, path, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Writes the index as it stands now to the index file; a failure is logged, and the next start reads the lines instead.</summary>
    private void WriteIndexFile()
    {
        if (_options.IndexFilePath is not { } path) return;
        KontaskIndexSnapshot snapshot;
        lock (_tailGate)
        {
            if (_linesSinceIndexFile == 0) return;
            lock (_indexGate) snapshot = new KontaskIndexSnapshot(_offset, _lineCount, _nextOrdinal, _headPrint, _tailPrint, [.. _oldestFirst]);
            _linesSinceIndexFile = 0;
        }
        try
        {
            KontaskIndexFile.Write(path, snapshot);
        }
        catch (Exception ex)
        {
            // Derived data: whatever went wrong, the lines are still there, and the next start reads them.
            _logger.LogWarning(ex, "Writing the kontask index {Index} failed; the next start indexes {File} from its lines", path, _options.FilePath);
        }
    }

    private void TakeFingerprints(FileStream file)
    {
        _headPrint = ReadRange(file, 0, (int)Math.Min(FingerprintBytes, _offset));
        var tail = (int)Math.Min(FingerprintBytes, _offset);
        _tailPrint = ReadRange(file, _offset - tail, tail);
    }

    private static byte[] ReadRange(FileStream file, long offset, int count)
    {
        var bytes = new byte[count];
        var read = RandomAccess.Read(file.SafeFileHandle, bytes, offset);
        return read == count ? bytes : bytes[..read];
    }

    private Kontask? ReadAt(KontaskSummary summary)
    {
        try
        {
            using var file = OpenRead(_options.FilePath);
            var bytes = ReadRange(file, summary.Offset, summary.Length);
            return KontaskJson.Deserialize(bytes);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            _logger.LogWarning(ex, "Reading kontask {Id} from {File} failed", summary.Id, _options.FilePath);
            return null;
        }
    }

    private static Kontask Oversize(KontaskSummary summary) => new()
    {
        Id = summary.Id,
        Title = summary.Title,
        Description = summary.Description,
        Type = summary.Type,
        Status = summary.Status,
        Scope = summary.Scope,
        Tags = [.. summary.Tags],
        RequestId = summary.RequestId,
        CreatedBy = summary.CreatedBy,
        CreatedAt = summary.CreatedAt,
        UpdatedAt = summary.UpdatedAt,
        Context = new KontaskContext
        {
            Output = $"<p>This kontask is {KontaskLimits.Megabytes(summary.Length)} MB (line {summary.LineNumber} of kontasks.jsonl), over Konui's " +
                     $"limit of {KontaskLimits.Megabytes(KontaskLimits.RecordBytes)} MB for one kontask, so only its summary is shown.</p>",
            TurnTiming = summary.Timing,
        },
    };

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);

    private async Task FollowAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(_options.PollInterval, _stop.Token);
                CatchUp();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Following {File} failed; trying again", _options.FilePath);
            }
        }
    }

    public void Dispose()
    {
        _firstIndexDone.Set();
        _stop.Cancel();
        _watcher?.Dispose();
        try
        {
            _follow?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _indexFileWrite.Wait();
        WriteIndexFile();
        _stop.Dispose();
        _changed.Dispose();
        _firstIndexDone.Dispose();
    }
}
