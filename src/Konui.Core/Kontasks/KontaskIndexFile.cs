using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Konui.Core.Kontasks;

/// <summary>
/// The kontask index kept beside kontasks.jsonl (kontasks.index), so that a start reads the summaries of the lines it
/// covers instead of parsing those lines again, and then only the lines appended since. It is derived data, never
/// trusted over the lines: it is written whole to a temporary file (readable by its owner only, as the kontasks are)
/// and renamed over the last one, and a file that is not whole, of another version, or about a kontasks.jsonl that no
/// longer starts and ends as it says (see <see cref="KontaskIndexSnapshot"/>) is not used.
/// </summary>
internal static class KontaskIndexFile
{
    private const string Magic = "konui kontask index";
    private const int Version = 1;
    private const int BufferBytes = 1 << 20;

    private enum Timing : byte
    {
        None,
        Fields,
        Json,
    }

    public static void Write(string path, KontaskIndexSnapshot snapshot)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            BufferSize = BufferBytes,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, options))
        using (var writer = new BinaryWriter(file, Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(snapshot.Offset);
            writer.Write(snapshot.LineCount);
            writer.Write(snapshot.NextOrdinal);
            WriteBytes(writer, snapshot.HeadPrint);
            WriteBytes(writer, snapshot.TailPrint);
            var shared = SharedValues(snapshot.OldestFirst);
            writer.Write(shared.Count);
            foreach (var value in shared.Keys) writer.Write(value);
            writer.Write(snapshot.OldestFirst.Count);
            foreach (var summary in snapshot.OldestFirst) WriteSummary(writer, summary, shared);
            writer.Write(snapshot.OldestFirst.Count);
            writer.Write(Magic);
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The index the file holds; null when there is none. Throws <see cref="InvalidDataException"/> when it is not a whole index of this version.</summary>
    public static KontaskIndexSnapshot? Read(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        // What the file holds takes about 2.3 times its size in memory, and all of it is kept.
        using (NoCollectionRegion.Begin(file.Length * 3))
        using (file)
        {
            var reader = new KontaskIndexFileReader(file);
            try
            {
                if (reader.ReadString() != Magic) throw new InvalidDataException("it is not a kontask index");
                var version = reader.ReadInt32();
                if (version != Version) throw new InvalidDataException($"it is of version {version}, not {Version}");
                var offset = reader.ReadInt64();
                var lineCount = reader.ReadInt64();
                var nextOrdinal = reader.ReadInt64();
                var headPrint = ReadBytes(reader);
                var tailPrint = ReadBytes(reader);
                var shared = new string[Count(reader)];
                for (var i = 0; i < shared.Length; i++) shared[i] = reader.ReadString();
                var summaries = ReadSummaries(reader, shared);
                if (reader.ReadInt32() != summaries.Length || reader.ReadString() != Magic || !reader.AtEnd)
                {
                    throw new InvalidDataException("it does not end as it began");
                }
                return new KontaskIndexSnapshot(offset, lineCount, nextOrdinal, headPrint, tailPrint, summaries);
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or JsonException or ArgumentException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"it is cut short or damaged ({ex.Message})", ex);
            }
        }
    }

    /// <summary>The values many kontasks share (types, statuses, scopes, authors, tags), each written once and then named by number.</summary>
    private static Dictionary<string, int> SharedValues(IReadOnlyList<KontaskSummary> summaries)
    {
        var shared = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var summary in summaries)
        {
            Add(summary.Type);
            Add(summary.Status);
            Add(summary.Scope);
            Add(summary.CreatedBy);
            foreach (var tag in summary.Tags) Add(tag);
        }
        return shared;

        void Add(string? value)
        {
            if (value is not null) shared.TryAdd(value, shared.Count);
        }
    }

    private static void WriteSummary(BinaryWriter writer, KontaskSummary summary, Dictionary<string, int> shared)
    {
        writer.Write(summary.Id);
        writer.Write(summary.Title);
        WriteText(writer, summary.Description);
        WriteShared(writer, summary.Type, shared);
        WriteShared(writer, summary.Status, shared);
        WriteShared(writer, summary.Scope, shared);
        writer.Write(summary.Tags.Count);
        foreach (var tag in summary.Tags) writer.Write(shared[tag]);
        WriteText(writer, summary.RequestId);
        WriteShared(writer, summary.CreatedBy, shared);
        WriteDate(writer, summary.CreatedAt);
        WriteDate(writer, summary.UpdatedAt);
        WriteTiming(writer, summary.Timing);
        writer.Write(summary.ChoiceCount);
        writer.Write(summary.Offset);
        writer.Write(summary.Length);
        writer.Write(summary.LineNumber);
        writer.Write(summary.Ordinal);
    }

    /// <summary>
    /// Every summary, in a loop compiled fully optimized at once: it runs 100,000 times while Konui starts, when the
    /// runtime is busy compiling everything else and would leave it unoptimized for most of that time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static KontaskSummary[] ReadSummaries(KontaskIndexFileReader reader, string[] shared)
    {
        var summaries = new KontaskSummary[Count(reader)];
        for (var i = 0; i < summaries.Length; i++) summaries[i] = ReadSummary(reader, shared);
        return summaries;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static KontaskSummary ReadSummary(KontaskIndexFileReader reader, string[] shared)
    {
        var id = reader.ReadString();
        var title = reader.ReadString();
        var description = ReadText(reader);
        var type = ReadShared(reader, shared);
        var status = ReadShared(reader, shared);
        var scope = ReadShared(reader, shared);
        var tags = new string[Count(reader)];
        for (var i = 0; i < tags.Length; i++) tags[i] = shared[reader.ReadInt32()];
        var requestId = ReadText(reader);
        var createdBy = ReadShared(reader, shared);
        var createdAt = ReadDate(reader);
        var updatedAt = ReadDate(reader);
        var timing = ReadTiming(reader);
        var choices = reader.ReadInt32();
        var offset = reader.ReadInt64();
        var length = reader.ReadInt32();
        var lineNumber = reader.ReadInt64();
        return new KontaskSummary(id, title, description, type, status, scope, tags, requestId, createdBy, createdAt, updatedAt, timing,
            choices, offset, length, lineNumber) { Ordinal = reader.ReadInt64() };
    }

    private static int Count(KontaskIndexFileReader reader)
    {
        var count = reader.ReadInt32();
        return count >= 0 ? count : throw new InvalidDataException($"it counts {count} items");
    }

    private static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(KontaskIndexFileReader reader) => reader.ReadBytes(Count(reader));

    private static void WriteText(BinaryWriter writer, string? text)
    {
        writer.Write(text is not null);
        if (text is not null) writer.Write(text);
    }

    private static string? ReadText(KontaskIndexFileReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void WriteShared(BinaryWriter writer, string? value, Dictionary<string, int> shared) =>
        writer.Write(value is null ? -1 : shared[value]);

    private static string? ReadShared(KontaskIndexFileReader reader, string[] shared)
    {
        var at = reader.ReadInt32();
        return at < 0 ? null : shared[at];
    }

    private static void WriteDate(BinaryWriter writer, DateTimeOffset? date)
    {
        writer.Write(date.HasValue);
        if (date is not { } value) return;
        writer.Write(value.Ticks);
        writer.Write((short)value.Offset.TotalMinutes);
    }

    private static DateTimeOffset? ReadDate(KontaskIndexFileReader reader)
    {
        if (!reader.ReadBoolean()) return null;
        var ticks = reader.ReadInt64();
        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(reader.ReadInt16()));
    }

    /// <summary>A turn's timing: its known fields, or as JSON when it carries fields this version does not know.</summary>
    private static void WriteTiming(BinaryWriter writer, TurnTiming? timing)
    {
        if (timing is null)
        {
            writer.Write((byte)Timing.None);
        }
        else if (timing.Extra is { Count: > 0 })
        {
            writer.Write((byte)Timing.Json);
            writer.Write(KontaskJson.SerializeTurnTiming(timing));
        }
        else
        {
            writer.Write((byte)Timing.Fields);
            WriteNumber(writer, timing.TotalMs);
            WriteNumber(writer, timing.TtfeMs);
            WriteNumber(writer, timing.ThinkingMs);
            WriteNumber(writer, timing.ToolExecutionMs);
            WriteNumber(writer, timing.ToolCallCount);
            WriteNumber(writer, timing.ThinkingPct);
            WriteNumber(writer, timing.ToolsPct);
            WriteNumber(writer, timing.TtfePct);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TurnTiming? ReadTiming(KontaskIndexFileReader reader) => (Timing)reader.ReadByte() switch
    {
        Timing.None => null,
        Timing.Json => KontaskJson.DeserializeTurnTiming(reader.ReadString()),
        Timing.Fields => new TurnTiming
        {
            TotalMs = ReadNumber(reader),
            TtfeMs = ReadNumber(reader),
            ThinkingMs = ReadNumber(reader),
            ToolExecutionMs = ReadNumber(reader),
            ToolCallCount = (int?)ReadNumber(reader),
            ThinkingPct = ReadNumber(reader),
            ToolsPct = ReadNumber(reader),
            TtfePct = ReadNumber(reader),
        },
        var other => throw new InvalidDataException($"it has a turn timing of kind {other}"),
    };

    private static void WriteNumber(BinaryWriter writer, double? number)
    {
        writer.Write(number.HasValue);
        if (number is { } value) writer.Write(value);
    }

    private static double? ReadNumber(KontaskIndexFileReader reader) => reader.ReadBoolean() ? reader.ReadDouble() : null;
}
