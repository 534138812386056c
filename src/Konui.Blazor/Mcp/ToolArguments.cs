using System.Text;
using System.Text.Json;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Mcp;

/// <summary>
/// Reads a tool call's arguments, checking each known field's type and limits. The first problem found is thrown
/// as a <see cref="ToolInputException"/> whose message tells the caller what to fix.
/// </summary>
internal sealed class ToolArguments(IDictionary<string, JsonElement>? arguments)
{
    public const int MaxOutputBytes = 2 * 1024 * 1024;
    public const int MaxChoices = 20;

    private readonly IDictionary<string, JsonElement> _arguments = arguments ?? new Dictionary<string, JsonElement>();

    public IEnumerable<string> Names => _arguments.Keys;

    public bool Has(string name) => _arguments.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string RequiredText(string name, string what)
    {
        var text = Text(name);
        return string.IsNullOrWhiteSpace(text) ? throw new ToolInputException($"{name} is required: {what}.") : text;
    }

    public string? Text(string name) => Text(_arguments, name, name);

    public List<string>? Strings(string name)
    {
        if (!_arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new ToolInputException($"{name} must be an array of strings, e.g. [\"build\", \"ci\"].");
        }
        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public int Integer(string name, int min, int max, int fallback)
    {
        if (!_arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            throw new ToolInputException($"{name} must be an integer from {min} to {max}, not {value.GetRawText()}.");
        }
        return number;
    }

    public JsonElement? Object(string name)
    {
        if (!_arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new ToolInputException($"{name} must be an object, not {Describe(value)}.");
    }

    /// <summary>Checks an HTML output: a string of at most 2 MB.</summary>
    public static string? Output(IDictionary<string, JsonElement> from, string name, string path)
    {
        var output = Text(from, name, path);
        if (output is null) return null;
        var bytes = Encoding.UTF8.GetByteCount(output);
        return bytes <= MaxOutputBytes
            ? output
            : throw new ToolInputException(
                $"{path} is {bytes / 1024.0 / 1024.0:F1} MB; the limit is 2 MB. Shorten it: summarize, or link to files instead of inlining them.");
    }

    /// <summary>Checks choices: at most 20 objects, each with a non-empty label and value and an optional boolean primary.</summary>
    public static List<KontaskChoice>? Choices(IDictionary<string, JsonElement> from, string name, string path)
    {
        if (!from.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array) throw new ToolInputException($"{path} must be an array of {{label, value, primary}} objects.");
        var count = value.GetArrayLength();
        if (count > MaxChoices) throw new ToolInputException($"{path} has {count} entries; at most {MaxChoices} are allowed. Keep the most useful ones.");
        var choices = new List<KontaskChoice>(count);
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object) throw new ToolInputException($"{at} must be an object with label and value.");
            var fields = item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            var label = Text(fields, "label", at + ".label");
            var choiceValue = Text(fields, "value", at + ".value");
            if (string.IsNullOrWhiteSpace(label)) throw new ToolInputException($"{at}.label is required: the button text.");
            if (string.IsNullOrWhiteSpace(choiceValue)) throw new ToolInputException($"{at}.value is required: the prompt sent when the button is clicked.");
            var primary = false;
            if (fields.TryGetValue("primary", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                primary = p.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new ToolInputException($"{at}.primary must be true or false, not {Describe(p)}."),
                };
            }
            var extra = fields.Where(f => f.Key is not ("label" or "value" or "primary")).ToDictionary(f => f.Key, f => f.Value.Clone());
            choices.Add(new KontaskChoice { Label = label, Value = choiceValue, Primary = primary, Extra = extra.Count > 0 ? extra : null });
        }
        return choices;
    }

    private static string? Text(IDictionary<string, JsonElement> from, string name, string path)
    {
        if (!from.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ToolInputException($"{path} must be a string, not {Describe(value)}.");
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
}
