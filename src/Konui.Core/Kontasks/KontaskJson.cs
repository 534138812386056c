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

    /// <summary>Parses one line for the index only; throws <see cref="JsonException"/> when it is not a kontask object.</summary>
    internal static KontaskIndexEntry? DeserializeForIndex(ReadOnlySpan<byte> line) => JsonSerializer.Deserialize(line, Context.KontaskIndexEntry);

    public static JsonSerializerOptions Options => Context.Options;
}
