using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Konui.Core.Kontasks;

/// <summary>
/// Reads a kontasks.jsonl line's <see cref="KontaskSummary"/> straight from its UTF-8 bytes: only the properties the
/// summary keeps become values; the output, and fields this version does not know, are skipped; choices are counted.
/// Every value is checked as reading the full <see cref="Kontask"/> checks it, so a line that one refuses is refused
/// here too (<see cref="JsonException"/>). Repeated values (status, type, scope, author, tags) are one string each,
/// found without making a new one. One line at a time: the store reads lines in order under its tail lock.
/// </summary>
internal sealed class KontaskIndexReader
{
    private const int MaxSharedValues = 100_000;

    /// <summary>Longer values are not looked up among the shared ones from their bytes (a short text is at most 100 characters).</summary>
    private const int MaxSharedBytes = KontaskLimits.ShortTextChars * 3;

    /// <summary>What ends a run of plain bytes in a JSON string: its closing quote, an escape, or a control character it may not hold.</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create([(byte)'"', (byte)'\\', .. Enumerable.Range(0, 0x20).Select(b => (byte)b)]);

    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _sharedByChars;

    public KontaskIndexReader()
    {
        _sharedByChars = _shared.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// The line's summary, or null when it is JSON null or has no id. Throws <see cref="JsonException"/> when the line
    /// is not a kontask object.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public KontaskSummary? Read(ReadOnlySpan<byte> line, long offset, long lineNumber)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            return ReadObject(ref reader, line, offset, line.Length, lineNumber);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // The reader's own complaints (a value of another type, text that is not UTF-8) are the line's error.
            throw new JsonException(ex.Message, ex);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private KontaskSummary? ReadObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, long offset, int length, long lineNumber)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            End(ref reader);
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"A kontask is a JSON object, not {reader.TokenType}.");

        string? id = "", title = "", description = null, type = null, status = null, scope = null, createdBy = null, requestId = null;
        DateTimeOffset? createdAt = null, updatedAt = null;
        string[] tags = [];
        var context = new ContextValues();
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8)) id = Text(ref reader, "id");
            else if (reader.ValueTextEquals("title"u8)) title = Excerpt(ref reader, "title", KontaskLimits.TitleChars);
            else if (reader.ValueTextEquals("description"u8)) description = Excerpt(ref reader, "description", KontaskLimits.DescriptionExcerptChars);
            else if (reader.ValueTextEquals("status"u8)) status = Shared(ref reader, "status");
            else if (reader.ValueTextEquals("type"u8)) type = Shared(ref reader, "type");
            else if (reader.ValueTextEquals("scope"u8)) scope = Shared(ref reader, "scope");
            else if (reader.ValueTextEquals("createdBy"u8)) createdBy = Shared(ref reader, "createdBy");
            else if (reader.ValueTextEquals("tags"u8)) tags = Tags(ref reader);
            else if (reader.ValueTextEquals("createdAt"u8)) createdAt = Date(ref reader, "createdAt");
            else if (reader.ValueTextEquals("updatedAt"u8)) updatedAt = Date(ref reader, "updatedAt");
            else if (reader.ValueTextEquals("requestId"u8)) requestId = Excerpt(ref reader, "requestId", KontaskLimits.ShortTextChars);
            else if (reader.ValueTextEquals("context"u8)) context = Context(ref reader, ref line);
            else if (reader.ValueTextEquals("targetUser"u8)) Check(ref reader, "targetUser");
            else reader.Skip();
        }
        End(ref reader);
        if (string.IsNullOrWhiteSpace(id)) return null;
        return new KontaskSummary(id, title!, description, type, status, scope, tags, requestId ?? context.RequestId, createdBy, createdAt, updatedAt,
            context.Timing, context.Choices, offset, length, lineNumber);
    }

    /// <summary>What the index keeps of the context: its requestId (an excerpt), the turn's timing, how many choices.</summary>
    private struct ContextValues
    {
        public string? RequestId;
        public TurnTiming? Timing;
        public int Choices;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ContextValues Context(ref Utf8JsonReader reader, ref ReadOnlySpan<byte> rest)
    {
        var values = new ContextValues();
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return values;
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"\"context\" must be an object, not {reader.TokenType}.");
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("output"u8))
            {
                if (SkippedString(ref reader, ref rest)) continue;
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null)) throw new JsonException($"context.output must be a string, not {reader.TokenType}");
            }
            else if (reader.ValueTextEquals("choices"u8)) values.Choices = Choices(ref reader);
            else if (reader.ValueTextEquals("turnTiming"u8))
            {
                reader.Read();
                values.Timing = KontaskJson.ReadTurnTiming(ref reader);
            }
            else if (reader.ValueTextEquals("requestId"u8)) values.RequestId = Excerpt(ref reader, "context.requestId", KontaskLimits.ShortTextChars);
            else if (reader.ValueTextEquals("requestedAt"u8)) Date(ref reader, "context.requestedAt");
            else reader.Skip();
        }
        return values;
    }

    /// <summary>
    /// Passes over the string value after the property name the reader is on, checked as the reader would check it
    /// (a closing quote, no control character, only JSON's escapes), and goes on reading after it; false, with the
    /// reader untouched, when the value is not a string or the check finds a fault (the reader then reads it and says
    /// what is wrong). The reader checks an escaped string one byte at a time from its first backslash, and a kontask's
    /// HTML output holds escaped newlines and quotes throughout: this looks for the next quote, backslash or control
    /// character many bytes at a time (over benchmark 1's outputs 26 ms against the reader's 110 ms; a quarter off reading
    /// their summaries). <paramref name="rest"/> is what the reader reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool SkippedString(ref Utf8JsonReader reader, ref ReadOnlySpan<byte> rest)
    {
        var at = (int)reader.BytesConsumed;
        while (at < rest.Length && rest[at] is (byte)' ' or (byte)'\t' or (byte)'\r') at++;
        if (at >= rest.Length || rest[at] != '"') return false;
        var end = StringEnd(rest[(at + 1)..]);
        if (end < 0) return false;
        // The reader's state after a string value: an empty one read from where it stands.
        var bridge = new Utf8JsonReader("\"\""u8, isFinalBlock: false, reader.CurrentState);
        bridge.Read();
        rest = rest[(at + 1 + end + 1)..];
        reader = new Utf8JsonReader(rest, isFinalBlock: true, bridge.CurrentState);
        return true;
    }

    /// <summary>Where the JSON string that <paramref name="text"/> starts ends (its closing quote), or -1 when it is not a valid one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int StringEnd(ReadOnlySpan<byte> text)
    {
        var at = 0;
        while (true)
        {
            var stop = text[at..].IndexOfAny(StringStops);
            if (stop < 0) return -1;
            at += stop;
            if (text[at] == '"') return at;
            if (text[at] != '\\' || at + 1 >= text.Length) return -1;
            switch (text[at + 1])
            {
                case (byte)'u':
                    if (at + 5 >= text.Length || !IsHex(text[at + 2]) || !IsHex(text[at + 3]) || !IsHex(text[at + 4]) || !IsHex(text[at + 5])) return -1;
                    at += 6;
                    break;
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    at += 2;
                    break;
                default:
                    return -1;
            }
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>Counts the choices, checking each as a <see cref="KontaskChoice"/> (label and value texts, primary true or false).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Choices(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return 0;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"context.choices must be an array, not {reader.TokenType}.");
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            if (reader.TokenType == JsonTokenType.Null) continue;
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"A choice must be an object, not {reader.TokenType}.");
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("label"u8)) Check(ref reader, "choice label");
                else if (reader.ValueTextEquals("value"u8)) Check(ref reader, "choice value");
                else if (reader.ValueTextEquals("primary"u8))
                {
                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) throw new JsonException($"A choice's primary must be true or false, not {reader.TokenType}.");
                }
                else reader.Skip();
            }
        }
        return count;
    }

    /// <summary>The first <see cref="KontaskLimits.Tags"/> tags (excerpts, shared); the others are only checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string[] Tags(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return [];
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"\"tags\" must be an array, not {reader.TokenType}.");
        List<string>? tags = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null) continue;
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"A tag must be a string, not {reader.TokenType}.");
            tags ??= [];
            if (tags.Count < KontaskLimits.Tags) tags.Add(SharedValue(ref reader));
            else CheckUtf8(ref reader);
        }
        return tags is null ? [] : [.. tags];
    }

    /// <summary>Moves to the next property name of the object the reader is in; false at its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Nothing but white space may follow the kontask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read()) throw new JsonException($"The line goes on after the kontask ({reader.TokenType}).");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Text(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"\"{name}\" must be a string, not {reader.TokenType}."),
        };
    }

    /// <summary>A text that is not kept: checked to be a string (valid UTF-8) or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Check(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return;
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"\"{name}\" must be a string, not {reader.TokenType}.");
        CheckUtf8(ref reader);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckUtf8(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped) reader.GetString();
        else if (!Utf8.IsValid(reader.ValueSpan)) throw new JsonException("The text is not valid UTF-8.");
    }

    /// <summary>
    /// At most <paramref name="chars"/> characters of a text (<see cref="KontaskLimits.Excerpt"/>). A long unescaped
    /// text is checked whole but decoded only as far as the excerpt goes, so a huge one is never made into a string.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Excerpt(ref Utf8JsonReader reader, string name, int chars)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"\"{name}\" must be a string, not {reader.TokenType}.");
        var prefixBytes = (chars + 1) * 4;
        if (reader.ValueIsEscaped || reader.ValueSpan.Length <= prefixBytes) return KontaskLimits.Excerpt(reader.GetString(), chars);
        var text = reader.ValueSpan;
        if (!Utf8.IsValid(text)) throw new JsonException($"\"{name}\" is not valid UTF-8.");
        var cut = prefixBytes;
        while ((text[cut] & 0xC0) == 0x80) cut--;
        // The prefix holds at least chars + 1 characters: the excerpt ends in an ellipsis, as the whole text's would.
        return KontaskLimits.Excerpt(Encoding.UTF8.GetString(text[..cut]), chars);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? Shared(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"\"{name}\" must be a string, not {reader.TokenType}.");
        return SharedValue(ref reader);
    }

    /// <summary>The reader's string as an excerpt of a short text, one instance per distinct value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string SharedValue(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= MaxSharedBytes)
        {
            Span<char> chars = stackalloc char[MaxSharedBytes];
            if (Utf8.ToUtf16(reader.ValueSpan, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                throw new JsonException("The text is not valid UTF-8.");
            }
            if (written <= KontaskLimits.ShortTextChars)
            {
                var value = chars[..written];
                if (_sharedByChars.TryGetValue(value, out var known)) return known;
                return Remember(new string(value));
            }
        }
        var excerpt = KontaskLimits.Excerpt(reader.GetString(), KontaskLimits.ShortTextChars)!;
        return _shared.TryGetValue(excerpt, out var same) ? same : Remember(excerpt);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string Remember(string value)
    {
        if (_shared.Count < MaxSharedValues) _shared[value] = value;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DateTimeOffset? Date(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value)) return value;
        throw new JsonException($"\"{name}\" must be a date and time (ISO 8601) or null.");
    }
}
