using System.Globalization;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Konui.Blazor.Mcp;

/// <summary>
/// Holds every tools/call to Konui's tools: the arguments are checked against the input schema the SDK derived from
/// the tool's parameters (types, required fields, lengths, counts, ranges) before the tool runs, and a
/// <see cref="ToolInputException"/> from the check or the tool becomes a tool error that says what to fix. Nothing
/// is written then, and nothing is logged as a failure: it is the caller's mistake, told to the caller. A call that
/// reaches this filter has the shape of one (see <see cref="ToolCallShape"/>): params and a tool Konui has.
/// </summary>
internal static class ToolArgumentsCheck
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            var call = request.Params!;
            var tool = (McpServerTool)request.MatchedPrimitive!;
            try
            {
                CheckObject(tool.ProtocolTool.InputSchema, call.Arguments ?? new Dictionary<string, JsonElement>(), "");
                return await next(request, cancellationToken);
            }
            catch (ToolInputException ex)
            {
                return new CallToolResult
                {
                    IsError = true,
                    Content = [new TextContentBlock { Text = $"{call.Name}: {ex.Message}{(tool.ProtocolTool.Annotations?.ReadOnlyHint == true ? "" : " Nothing was written.")}" }],
                };
            }
        };

    private static void CheckObject(JsonElement schema, IDictionary<string, JsonElement> fields, string path)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null) continue;
                var what = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var property)
                    && property.TryGetProperty("description", out var description) ? description.GetString() : null;
                throw new ToolInputException($"{Join(path, name)} is required{(string.IsNullOrEmpty(what) ? "" : ": " + char.ToLowerInvariant(what[0]) + what[1..].TrimEnd('.'))}.");
            }
        }
        if (properties.ValueKind != JsonValueKind.Object) return;
        foreach (var property in properties.EnumerateObject())
        {
            if (fields.TryGetValue(property.Name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                Check(property.Value, value, Join(path, property.Name));
            }
        }
    }

    private static void Check(JsonElement schema, JsonElement value, string path)
    {
        if (!Fits(schema, value)) throw new ToolInputException($"{path} must be {Expected(schema)}, not {Describe(value)}.");
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.TryGetProperty("maxLength", out var maxLength) && text.Length > maxLength.GetInt32())
                {
                    throw new ToolInputException(string.Create(CultureInfo.InvariantCulture,
                        $"{path} is {text.Length:N0} characters; at most {maxLength.GetInt32():N0} are allowed. Shorten it."));
                }
                if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time"
                    && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
                {
                    throw new ToolInputException($"{path} must be a date and time in ISO 8601, e.g. 2026-01-31T09:30:00Z, not \"{text}\".");
                }
                break;
            case JsonValueKind.Number:
                if ((schema.TryGetProperty("minimum", out var min) && value.GetDecimal() < min.GetDecimal())
                    || (schema.TryGetProperty("maximum", out var max) && value.GetDecimal() > max.GetDecimal()))
                {
                    throw new ToolInputException($"{path} must be {Expected(schema)}, not {value.GetRawText()}.");
                }
                break;
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                if (schema.TryGetProperty("maxItems", out var maxItems) && count > maxItems.GetInt32())
                {
                    throw new ToolInputException($"{path} has {count} entries; at most {maxItems.GetInt32()} are allowed. Keep the most useful ones.");
                }
                if (schema.TryGetProperty("items", out var items))
                {
                    var index = 0;
                    foreach (var item in value.EnumerateArray()) Check(items, item, $"{path}[{index++}]");
                }
                break;
            case JsonValueKind.Object:
                CheckObject(schema, value.EnumerateObject().ToDictionary(f => f.Name, f => f.Value), path);
                break;
        }
    }

    private static IEnumerable<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!)
        : [type.GetString()!];

    /// <summary>Whether a value has one of the schema's types. A null never fits: a null field counts as left out, and a
    /// null in a list is refused.</summary>
    private static bool Fits(JsonElement schema, JsonElement value)
    {
        var types = Types(schema).ToList();
        return types.Count == 0 || types.Any(type => type switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" => value.ValueKind == JsonValueKind.Object,
            _ => false,
        });
    }

    /// <summary>What a schema asks for, in words: "a string", "an array of strings, e.g. ...", "an integer from 1 to 200".</summary>
    private static string Expected(JsonElement schema)
    {
        var type = Types(schema).FirstOrDefault(t => t != "null");
        return type switch
        {
            "string" => "a string",
            "boolean" => "true or false",
            "integer" when schema.TryGetProperty("minimum", out var min) && schema.TryGetProperty("maximum", out var max) => $"an integer from {min.GetRawText()} to {max.GetRawText()}",
            "integer" => "an integer",
            "number" => "a number",
            "object" when schema.TryGetProperty("properties", out var properties) => $"an object with {string.Join(", ", properties.EnumerateObject().Select(p => p.Name))}",
            "object" => "an object",
            "array" when schema.TryGetProperty("items", out var items) && Types(items).FirstOrDefault() == "string" => "an array of strings, e.g. [\"build\", \"ci\"]",
            "array" when schema.TryGetProperty("items", out var items) => $"an array of {Expected(items).Replace("an object", "objects", StringComparison.Ordinal)}",
            "array" => "an array",
            _ => "something else",
        };
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
