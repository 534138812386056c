using System.Text.Json;

namespace Konui.Testing;

/// <summary>
/// A <c>POST /v1/messages</c> request the CLI sent to <see cref="ScriptedModelApi"/>, parsed for scripts and assertions.
/// Immutable but for the log of when each delta of the reply was written; safe to read from any thread.
/// </summary>
public sealed class ModelRequest
{
    private const string SystemReminderTag = "<system-reminder>";
    private const string InterruptMarker = "[Request interrupted by user";

    private readonly List<DateTimeOffset> _deltasWritten = [];

    internal ModelRequest(int index, string path, string queryString, IReadOnlyDictionary<string, string> headers, string rawJson)
    {
        Index = index;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        RawJson = rawJson;
        ReceivedAt = DateTimeOffset.UtcNow;

        using var document = JsonDocument.Parse(rawJson);
        Json = document.RootElement.Clone();
        var root = Json;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The request body is not a JSON object.");
        }

        Model = GetString(root, "model") ?? "";
        IsStreaming = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        SystemPrompt = root.TryGetProperty("system", out var system) ? ContentText(system, skipReminders: false) : "";
        ToolNames = root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
            ? tools.EnumerateArray().Select(t => GetString(t, "name")).OfType<string>().ToArray()
            : [];
        HasThinkingEnabled = root.TryGetProperty("thinking", out var thinking)
            && thinking.ValueKind == JsonValueKind.Object
            && GetString(thinking, "type") is "enabled" or "adaptive";

        var messages = root.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().ToArray()
            : [];
        MessageCount = messages.Length;
        ToolResultCount = messages
            .Where(x => x.ValueKind == JsonValueKind.Object && GetString(x, "role") == "user" && x.TryGetProperty("content", out _))
            .Sum(x => ReadToolResults(x.GetProperty("content")).Length);
        var lastUser = messages.LastOrDefault(x => x.ValueKind == JsonValueKind.Object && GetString(x, "role") == "user");
        if (lastUser.ValueKind == JsonValueKind.Object && lastUser.TryGetProperty("content", out var content))
        {
            LastUserMessageText = ContentText(content, skipReminders: false);
            LastUserText = ContentText(content, skipReminders: true);
            ToolResults = ReadToolResults(content);
        }
        else
        {
            LastUserMessageText = "";
            LastUserText = "";
            ToolResults = [];
        }
    }

    /// <summary>0-based position of this request among all <c>/v1/messages</c> requests the server received.</summary>
    public int Index { get; }

    /// <summary>The request path, e.g. <c>/v1/messages</c>.</summary>
    public string Path { get; }

    /// <summary>The raw query string including <c>?</c>, e.g. <c>?beta=true</c>; empty when none.</summary>
    public string QueryString { get; }

    /// <summary>Request headers (case-insensitive names; repeated headers joined with <c>,</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>When the server received the request (its body read).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The request body exactly as received.</summary>
    public string RawJson { get; }

    /// <summary>The parsed request body.</summary>
    public JsonElement Json { get; }

    /// <summary>The <c>model</c> field, e.g. <c>claude-test</c>.</summary>
    public string Model { get; }

    /// <summary>True for <c>"stream": true</c>. The CLI sends false only to retry after a mid-stream error event.</summary>
    public bool IsStreaming { get; }

    /// <summary>The <c>system</c> prompt: a string as is, or its text blocks joined with newlines.</summary>
    public string SystemPrompt { get; }

    /// <summary>Names of the tools offered to the model (e.g. <c>Bash</c>, <c>mcp__konui__konui_create_task</c>).</summary>
    public IReadOnlyList<string> ToolNames { get; }

    /// <summary>True when the request asks for extended thinking (<c>thinking.type</c> is enabled or adaptive).</summary>
    public bool HasThinkingEnabled { get; }

    /// <summary>Number of entries in <c>messages</c>.</summary>
    public int MessageCount { get; }

    /// <summary>How many <c>tool_result</c> blocks the whole conversation holds: how many tool calls have returned so far.</summary>
    public int ToolResultCount { get; }

    /// <summary>
    /// Text of the last message with role <c>user</c>, without the blocks the CLI injects (<c>&lt;system-reminder&gt;</c>
    /// context, the <c>[Request interrupted by user]</c> marker that precedes the prompt after an interrupt): what the
    /// person typed, or empty when that message only carries tool results.
    /// </summary>
    public string LastUserText { get; }

    /// <summary>All text blocks of the last user message joined with newlines, system reminders included.</summary>
    public string LastUserMessageText { get; }

    /// <summary>The <c>tool_result</c> blocks of the last user message (empty when it carries none).</summary>
    public IReadOnlyList<ModelToolResult> ToolResults { get; }

    /// <summary>True when the last user message carries at least one <c>tool_result</c>.</summary>
    public bool HasToolResult => ToolResults.Count > 0;

    /// <summary>The last <c>tool_result</c> of the last user message, or null.</summary>
    public ModelToolResult? ToolResult => ToolResults.Count > 0 ? ToolResults[^1] : null;

    /// <summary>
    /// In plan mode, the file the CLI tells the model to write its plan to (<c>~/.claude/plans/&lt;name&gt;.md</c>), else null.
    /// </summary>
    public string? PlanFilePath =>
        System.Text.RegularExpressions.Regex.Match(RawJson, @"(?:create your plan at|plan file exists at) ([^\s""\\]+\.md)") is { Success: true } match
            ? match.Groups[1].Value
            : null;

    /// <summary>When each <c>content_block_delta</c> of the streamed reply was written and flushed, in order (a snapshot).</summary>
    public IReadOnlyList<DateTimeOffset> DeltasWrittenAt
    {
        get
        {
            lock (_deltasWritten)
            {
                return [.. _deltasWritten];
            }
        }
    }

    internal void DeltaWritten(DateTimeOffset at)
    {
        lock (_deltasWritten)
        {
            _deltasWritten.Add(at);
        }
    }

    /// <summary>True when <see cref="ToolNames"/> contains <paramref name="toolName"/>.</summary>
    public bool OffersTool(string toolName) => ToolNames.Contains(toolName, StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString()
    {
        var what = HasToolResult
            ? $"tool_result({ToolResult!.ToolUseId}, is_error={ToolResult.IsError})"
            : $"\"{Shorten(LastUserText, 60)}\"";
        return $"#{Index} {Path}{QueryString} model={Model} stream={IsStreaming} messages={MessageCount} tools={ToolNames.Count} last user: {what}";
    }

    private static string Shorten(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "...");

    private static string? GetString(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string ContentText(JsonElement content, bool skipReminders)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            var text = content.GetString() ?? "";
            return skipReminders && IsReminder(text) ? "" : text;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var parts = content.EnumerateArray()
            .Where(b => GetString(b, "type") == "text")
            .Select(b => GetString(b, "text") ?? "")
            .Where(t => !(skipReminders && IsReminder(t)));
        var joined = string.Join("\n", parts);
        return skipReminders ? joined.Trim() : joined;
    }

    private static bool IsReminder(string text)
    {
        var trimmed = text.TrimStart();
        return trimmed.StartsWith(SystemReminderTag, StringComparison.Ordinal)
            || trimmed.StartsWith(InterruptMarker, StringComparison.Ordinal);
    }

    private static ModelToolResult[] ReadToolResults(JsonElement content)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return content.EnumerateArray()
            .Where(b => GetString(b, "type") == "tool_result")
            .Select(b => new ModelToolResult(
                GetString(b, "tool_use_id") ?? "",
                b.TryGetProperty("content", out var c) ? ContentText(c, skipReminders: false) : "",
                b.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True))
            .ToArray();
    }
}
