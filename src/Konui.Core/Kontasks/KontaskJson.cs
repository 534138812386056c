using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Konui.Core.Kontasks;

/// <summary>The one place that turns kontasks into JSON lines and back.</summary>
public static class KontaskJson
{
    private static readonly KontaskJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static readonly KontaskJsonContext Indented = new(new JsonSerializerOptions(Context.Options)
    {
        WriteIndented = true,
    });

    /// <summary>One line of kontasks.jsonl, without the trailing newline.</summary>
    public static byte[] SerializeLine(Kontask kontask) =>
        JsonSerializer.SerializeToUtf8Bytes(kontask, Context.Kontask);

    public static string Serialize(Kontask kontask) => JsonSerializer.Serialize(kontask, Context.Kontask);

    public static string SerializeIndented(Kontask kontask) => JsonSerializer.Serialize(kontask, Indented.Kontask);

    /// <summary>Parses one line; throws <see cref="JsonException"/> when it is not a kontask object.</summary>
    public static Kontask? Deserialize(ReadOnlySpan<byte> line) => JsonSerializer.Deserialize(line, Context.Kontask);

    public static Kontask? Deserialize(string json) => JsonSerializer.Deserialize(json, Context.Kontask);

    /// <summary>A turn's timing where the reader stands (its first token), read as a kontask's is; for the index.</summary>
    internal static TurnTiming? ReadTurnTiming(ref Utf8JsonReader reader) => JsonSerializer.Deserialize(ref reader, Context.TurnTiming);

    internal static string SerializeTurnTiming(TurnTiming timing) => JsonSerializer.Serialize(timing, Context.TurnTiming);

    internal static TurnTiming? DeserializeTurnTiming(string json) => JsonSerializer.Deserialize(json, Context.TurnTiming);

    public static JsonSerializerOptions Options => Context.Options;
}
