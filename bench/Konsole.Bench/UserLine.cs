using System.Text.Json;

namespace Konsole.Bench;

/// <summary>A stream-json line on the stand-in CLI's stdin, as the harness's prompts arrive in it.</summary>
internal static class UserLine
{
    /// <summary>The texts of a user message (its content string, or its text blocks); null for any other line.</summary>
    public static string[]? Texts(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var type) || type.GetString() != "user") return null;
        var content = root.GetProperty("message").GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? [content.GetString() ?? ""]
            : content.EnumerateArray().Where(b => b.TryGetProperty("text", out _)).Select(b => b.GetProperty("text").GetString() ?? "").ToArray();
    }
}
