using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Konui.Core.Turns;

/// <summary>The one place turn events become JSON (turn logs, SSE) and back.</summary>
public static class TurnEventJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowOutOfOrderMetadataProperties = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Dictionary<Type, string> TypeNames = typeof(TurnEvent)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false)
        .Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>The event's "type" as it appears in JSON and as the SSE event name: turn_start, text_delta, ...</summary>
    public static string TypeName(TurnEvent turnEvent) => TypeNames[turnEvent.GetType()];

    public static string Serialize(TurnEvent turnEvent) => JsonSerializer.Serialize(turnEvent, Options);

    public static byte[] SerializeToUtf8(TurnEvent turnEvent) => JsonSerializer.SerializeToUtf8Bytes(turnEvent, Options);

    public static TurnEvent? Deserialize(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<TurnEvent>(json, Options);

    public static TurnEvent? Deserialize(string json) => JsonSerializer.Deserialize<TurnEvent>(json, Options);
}
