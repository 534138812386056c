using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Konui.Core.Turns.JsonFields;

namespace Konui.Core.Turns;

/// <summary>
/// Turns the Claude Code CLI's stream-json stdout, line by line, into <see cref="TurnEvent"/>s. One parser per CLI
/// process: it remembers which assistant blocks and messages it has seen. Nothing a line holds can make it throw:
/// a line it cannot read, or of a type it does not know, comes out as a <see cref="RawEvent"/>.
/// </summary>
public sealed class StreamJsonParser
{
    private readonly HashSet<string> _seenUuids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _blocksPerMessage = new(StringComparer.Ordinal);
    private string? _streamingMessageId;

    public IReadOnlyList<TurnEvent> Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return [];
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return [new RawEvent(null, line)];
        }
        if (root.ValueKind != JsonValueKind.Object) return [new RawEvent(root, null)];
        try
        {
            return ParseMessage(root);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            return [new RawEvent(root, null)];
        }
    }

    private List<TurnEvent> ParseMessage(JsonElement root) => Str(root, "type") switch
    {
        "system" => ParseSystem(root),
        "stream_event" => ParseStreamEvent(root),
        "assistant" => FirstTime(root) ? ParseAssistant(root) : [],
        "user" => FirstTime(root) ? ParseUser(root) : [],
        "result" => [ParseResult(root)],
        "control_request" => [ParseControlRequest(root)],
        "control_response" => [ParseControlResponse(root)],
        "control_cancel_request" => [new ControlCancel(Str(root, "request_id") ?? "")],
        "keep_alive" => [],
        _ => [new RawEvent(root, null)],
    };

    private static List<TurnEvent> ParseSystem(JsonElement root) => Str(root, "subtype") switch
    {
        "init" => [new TurnInit(
            Str(root, "model"),
            Strings(root, "tools"),
            Items(root, "mcp_servers").Select(s => new McpServerState(Str(s, "name") ?? "?", Str(s, "status"))).ToList(),
            Str(root, "session_id"),
            Str(root, "cwd"),
            Str(root, "permissionMode"),
            Str(root, "claude_code_version"),
            Strings(root, "slash_commands"))],
        "status" => [new TurnStatus(Str(root, "status"), Str(root, "permissionMode"))],
        "api_retry" => [new ApiRetry(
            Int(root, "attempt") ?? 0,
            Int(root, "max_retries") ?? 0,
            Double(root, "retry_delay_ms") is { } delay ? (int)Math.Round(Math.Clamp(delay, 0, int.MaxValue)) : 0,
            Int(root, "error_status"),
            Str(root, "error"))],
        "thinking_tokens" => [],
        _ => [new RawEvent(root, null)],
    };

    private List<TurnEvent> ParseStreamEvent(JsonElement root)
    {
        if (!root.TryGetProperty("event", out var streamEvent) || streamEvent.ValueKind != JsonValueKind.Object) return [];
        switch (Str(streamEvent, "type"))
        {
            case "message_start":
                _streamingMessageId = streamEvent.TryGetProperty("message", out var message) ? Str(message, "id") : null;
                return [];
            case "content_block_delta" when streamEvent.TryGetProperty("delta", out var delta):
                var index = Int(streamEvent, "index") ?? 0;
                return Str(delta, "type") switch
                {
                    "text_delta" => [new TextDelta(_streamingMessageId, index, Str(delta, "text") ?? "")],
                    "thinking_delta" => [new ThinkingDelta(_streamingMessageId, index, Str(delta, "thinking") ?? "")],
                    _ => [],
                };
            default:
                return [];
        }
    }

    private List<TurnEvent> ParseAssistant(JsonElement root)
    {
        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object) return [new RawEvent(root, null)];
        var messageId = Str(message, "id") ?? Str(root, "uuid") ?? "unknown";
        var model = Str(message, "model");
        var isApiError = model == "<synthetic>" || Bool(root, "is_api_error_message") || Str(root, "error") is not null;
        var parent = Str(root, "parent_tool_use_id");
        var events = new List<TurnEvent>();
        foreach (var block in Items(message, "content"))
        {
            var blockIndex = _blocksPerMessage.TryGetValue(messageId, out var count) ? count : 0;
            _blocksPerMessage[messageId] = blockIndex + 1;
            var blockType = Str(block, "type") ?? "unknown";
            events.Add(blockType switch
            {
                "text" => new AssistantBlock(messageId, blockIndex, blockType, Str(block, "text"), null, null, null, model, parent, isApiError),
                "thinking" => new AssistantBlock(messageId, blockIndex, blockType, Str(block, "thinking"), null, null, null, model, parent, isApiError),
                "tool_use" => new AssistantBlock(messageId, blockIndex, blockType, null, Str(block, "id"), Str(block, "name"),
                    block.TryGetProperty("input", out var input) ? input : null, model, parent, isApiError),
                _ => new AssistantBlock(messageId, blockIndex, blockType, null, null, null, null, model, parent, isApiError),
            });
        }
        return events;
    }

    private static List<TurnEvent> ParseUser(JsonElement root)
    {
        var content = root.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var c) ? c : default;
        var results = Items(content).Where(b => Str(b, "type") == "tool_result").ToList();
        // The line's tool_use_result describes its tool result; the CLI writes one result per line.
        var details = results.Count == 1 && root.TryGetProperty("tool_use_result", out var toolUseResult) && toolUseResult.ValueKind == JsonValueKind.Object
            ? Slim(toolUseResult)
            : (JsonElement?)null;
        return results.Count > 0
            ? results.Select(b => (TurnEvent)new ToolResult(Str(b, "tool_use_id") ?? "", ContentText(b), Bool(b, "is_error"), details)).ToList()
            : [new RawEvent(root, null)];
    }

    /// <summary>
    /// A tool_use_result without the copies of whole files the log has elsewhere: an edit's originalFile when its
    /// structuredPatch has the changed lines (with context and numbers), a Write's content (its input has it), a Read's
    /// file content (its result text has it).
    /// </summary>
    private static JsonElement Slim(JsonElement toolUseResult)
    {
        var hasPatch = toolUseResult.TryGetProperty("structuredPatch", out var patch) && patch.ValueKind == JsonValueKind.Array && patch.GetArrayLength() > 0;
        var isWrite = Str(toolUseResult, "type") is "create" or "update";
        var isRead = Str(toolUseResult, "type") == "text" && toolUseResult.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Object;
        if (!(hasPatch && toolUseResult.TryGetProperty("originalFile", out _)) && !(isWrite && toolUseResult.TryGetProperty("content", out _)) && !isRead)
        {
            return toolUseResult;
        }
        var slim = JsonNode.Parse(toolUseResult.GetRawText())!.AsObject();
        if (hasPatch) slim.Remove("originalFile");
        if (isWrite) slim.Remove("content");
        if (isRead) slim["file"]!.AsObject().Remove("content");
        return JsonSerializer.SerializeToElement(slim);
    }

    /// <summary>A can_use_tool request is a decision for the user; any other request the CLI makes is passed on raw.</summary>
    private static TurnEvent ParseControlRequest(JsonElement root)
    {
        if (Str(root, "request_id") is not { } requestId || !root.TryGetProperty("request", out var request)
            || Str(request, "subtype") != "can_use_tool" || Str(request, "tool_name") is not { } toolName)
        {
            return new RawEvent(root, null);
        }
        return new DecisionRequest(
            "",
            requestId,
            toolName,
            Str(request, "display_name"),
            request.TryGetProperty("input", out var input) ? input : null,
            Str(request, "description"),
            request.TryGetProperty("permission_suggestions", out var suggestions) && suggestions.ValueKind == JsonValueKind.Array ? suggestions : null,
            Str(request, "tool_use_id"),
            Str(request, "blocked_path"),
            Str(request, "decision_reason"),
            Str(request, "agent_id"));
    }

    private static ControlResponse ParseControlResponse(JsonElement root)
    {
        var response = root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        return new ControlResponse(
            Str(response, "request_id") ?? "",
            Str(response, "subtype") == "success",
            response.ValueKind == JsonValueKind.Object && response.TryGetProperty("response", out var payload) ? payload : null,
            Str(response, "error"));
    }

    private static TurnResult ParseResult(JsonElement root)
    {
        TurnUsage? usage = null;
        if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
        {
            usage = new TurnUsage(
                Long(u, "input_tokens") ?? 0,
                Long(u, "output_tokens") ?? 0,
                Long(u, "cache_creation_input_tokens") ?? 0,
                Long(u, "cache_read_input_tokens") ?? 0);
        }
        return new TurnResult(
            Str(root, "subtype") ?? "unknown",
            Bool(root, "is_error"),
            Str(root, "terminal_reason"),
            usage,
            Double(root, "total_cost_usd"),
            Long(root, "duration_ms"),
            Long(root, "duration_api_ms"),
            Int(root, "num_turns"),
            Str(root, "result"),
            Str(root, "session_id"),
            Strings(root, "errors"),
            Int(root, "api_error_status"),
            root.TryGetProperty("modelUsage", out var modelUsage) && modelUsage.ValueKind == JsonValueKind.Object ? modelUsage : null);
    }

    private bool FirstTime(JsonElement root) => Str(root, "uuid") is not { } uuid || _seenUuids.Add(uuid);

    private static string ContentText(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content)) return "";
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        var text = new StringBuilder();
        foreach (var part in Items(content))
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(Str(part, "type") == "text" ? Str(part, "text") : $"[{Str(part, "type") ?? "content"}]");
        }
        return text.ToString();
    }
}
