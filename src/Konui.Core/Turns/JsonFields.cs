using System.Text.Json;

namespace Konui.Core.Turns;

/// <summary>Reads a field of a JSON object the CLI wrote, whatever the element holds: a field that is missing or of another kind reads as null (or empty).</summary>
internal static class JsonFields
{
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    public static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static bool Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static int? Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt32(out var number) ? number : null;

    public static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var number) ? number : null;

    public static double? Double(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDouble(out var number) && double.IsFinite(number) ? number : null;

    /// <summary>The field when it is an object or an array, else null.</summary>
    public static JsonElement? Node(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? value
            : null;

    public static JsonElement.ArrayEnumerator Items(JsonElement element, string name) =>
        Items(element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : EmptyArray);

    public static JsonElement.ArrayEnumerator Items(JsonElement array) =>
        (array.ValueKind == JsonValueKind.Array ? array : EmptyArray).EnumerateArray();

    public static List<string> Strings(JsonElement element, string name) =>
        Items(element, name).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
}
