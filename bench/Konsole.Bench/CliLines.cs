using System.Globalization;

namespace Konsole.Bench;

/// <summary>
/// The stdout lines of Claude Code 2.1.197 with --output-format stream-json --verbose --include-partial-messages, in
/// the exact shapes of the recording tests/Konui.Core.Tests/Fixtures/claude-cli/partial.jsonl, for one session.
/// Text goes into the JSON as it is given, so it must come escaped (the benchmarks' words need no escaping, their
/// paragraph breaks are written as \n).
/// </summary>
internal sealed class CliLines(string sessionId)
{
    private const string Tools =
        "[\"Task\",\"Bash\",\"CronCreate\",\"CronDelete\",\"CronList\",\"Edit\",\"EnterWorktree\",\"ExitWorktree\",\"NotebookEdit\",\"Read\","
        + "\"ReportFindings\",\"ScheduleWakeup\",\"SendMessage\",\"Skill\",\"TaskCreate\",\"TaskGet\",\"TaskList\",\"TaskOutput\",\"TaskStop\","
        + "\"TaskUpdate\",\"WebFetch\",\"WebSearch\",\"Workflow\",\"Write\",\"mcp__konui__konui_create_task\"]";

    private const string Skills =
        "[\"deep-research\",\"update-config\",\"verify\",\"debug\",\"code-review\",\"simplify\",\"batch\",\"fewer-permission-prompts\",\"loop\","
        + "\"claude-api\",\"run\",\"run-skill-generator\"]";

    private readonly string _tail = $"\"session_id\":\"{sessionId}\",\"parent_tool_use_id\":null,\"uuid\":\"";

    public string Init() =>
        "{\"type\":\"system\",\"subtype\":\"init\",\"cwd\":\"/home/dev/project\",\"session_id\":\"" + sessionId + "\",\"tools\":" + Tools
        + ",\"mcp_servers\":[{\"name\":\"konui\",\"status\":\"connected\"}],\"model\":\"claude-opus-4-8[1m]\",\"permissionMode\":\"default\","
        + "\"slash_commands\":[\"deep-research\",\"update-config\",\"verify\",\"debug\",\"code-review\",\"simplify\",\"batch\",\"fewer-permission-prompts\","
        + "\"loop\",\"claude-api\",\"run\",\"run-skill-generator\",\"clear\",\"compact\",\"config\",\"context\",\"heapdump\",\"init\",\"reload-skills\","
        + "\"review\",\"security-review\",\"usage\",\"insights\",\"goal\",\"team-onboarding\"],\"apiKeySource\":\"ANTHROPIC_API_KEY\","
        + "\"claude_code_version\":\"2.1.197\",\"output_style\":\"default\",\"agents\":[\"claude\",\"Explore\",\"general-purpose\",\"Plan\","
        + "\"statusline-setup\"],\"skills\":" + Skills + ",\"plugins\":[],\"analytics_disabled\":true,\"product_feedback_disabled\":true,"
        + "\"uuid\":\"" + Uuid() + "\",\"memory_paths\":{\"auto\":\"/home/dev/.claude/projects/-home-dev-project/memory/\"},\"fast_mode_state\":\"off\"}";

    /// <summary>The answer to a control request konsole sends (a spare CLI asks mcp_status until its MCP servers are loaded).</summary>
    public static string ControlResponse(string requestId) =>
        "{\"type\":\"control_response\",\"response\":{\"subtype\":\"success\",\"request_id\":\"" + requestId
        + "\",\"response\":{\"mcpServers\":[{\"name\":\"konui\",\"status\":\"connected\"}]}}}";

    public string Status() =>
        "{\"type\":\"system\",\"subtype\":\"status\",\"status\":\"requesting\",\"uuid\":\"" + Uuid() + "\",\"session_id\":\"" + sessionId + "\"}";

    public string MessageStart(string messageId) =>
        "{\"type\":\"stream_event\",\"event\":{\"type\":\"message_start\",\"message\":{\"id\":\"" + messageId + "\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-opus-4-8\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
        + "{\"input_tokens\":12,\"output_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}," + _tail + Uuid() + "\",\"ttft_ms\":11}";

    public string BlockStart() =>
        "{\"type\":\"stream_event\",\"event\":{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}," + _tail + Uuid() + "\"}";

    public string TextDelta(string text) =>
        "{\"type\":\"stream_event\",\"event\":{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}},"
        + _tail + Uuid() + "\"}";

    public string Assistant(string messageId, string text) =>
        "{\"type\":\"assistant\",\"message\":{\"id\":\"" + messageId + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-8\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,"
        + "\"output_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0},\"context_management\":null},\"parent_tool_use_id\":null,"
        + "\"session_id\":\"" + sessionId + "\",\"uuid\":\"" + Uuid() + "\",\"request_id\":\"req_mock_8aac3f951669\"}";

    public string BlockStop() => "{\"type\":\"stream_event\",\"event\":{\"type\":\"content_block_stop\",\"index\":0}," + _tail + Uuid() + "\"}";

    public string MessageDelta(int outputTokens) =>
        "{\"type\":\"stream_event\",\"event\":{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":" + outputTokens.ToString(CultureInfo.InvariantCulture) + "}}," + _tail + Uuid() + "\"}";

    public string MessageStop() => "{\"type\":\"stream_event\",\"event\":{\"type\":\"message_stop\"}," + _tail + Uuid() + "\"}";

    /// <summary>The turn's result; <paramref name="totalCostUsd"/> counts since the process started, as the CLI's does.</summary>
    public string Result(long durationMs, int outputTokens, double totalCostUsd, string text) => string.Create(CultureInfo.InvariantCulture,
        $$$"""{"type":"result","subtype":"success","is_error":false,"api_error_status":null,"duration_ms":{{{durationMs}}},"duration_api_ms":{{{durationMs}}},"ttft_ms":1,"ttft_stream_ms":1,"time_to_request_ms":1,"num_turns":1,"result":"{{{text}}}","stop_reason":"end_turn","session_id":"{{{sessionId}}}","total_cost_usd":{{{totalCostUsd}}},"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":{{{outputTokens}}},"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":"standard","cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0},"inference_geo":"","iterations":[],"speed":"standard"},"modelUsage":{"claude-opus-4-8[1m]":{"inputTokens":12,"outputTokens":{{{outputTokens}}},"cacheReadInputTokens":0,"cacheCreationInputTokens":0,"webSearchRequests":0,"costUSD":{{{totalCostUsd}}},"contextWindow":1000000,"maxOutputTokens":64000}},"permission_denials":[],"terminal_reason":"completed","fast_mode_state":"off","uuid":"{{{Uuid()}}}"}""");

    /// <summary>An assistant message with one Bash tool_use block, as permission-bash-allow.jsonl has it.</summary>
    public string BashCall(string messageId, string toolUseId, string command) =>
        "{\"type\":\"assistant\",\"message\":{\"id\":\"" + messageId + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-8\","
        + "\"content\":[{\"type\":\"tool_use\",\"id\":\"" + toolUseId + "\",\"name\":\"Bash\",\"input\":{\"command\":\"" + command + "\",\"description\":\"A benchmark round\"}}],"
        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0},"
        + "\"context_management\":null},\"parent_tool_use_id\":null,\"session_id\":\"" + sessionId + "\",\"uuid\":\"" + Uuid() + "\",\"request_id\":\"req_mock_464b93df1c6a\"}";

    /// <summary>The CLI asking whether the Bash call may run (can_use_tool), as permission-bash-allow.jsonl has it.</summary>
    public static string CanUseTool(string requestId, string toolUseId, string command) =>
        "{\"type\":\"control_request\",\"request_id\":\"" + requestId + "\",\"request\":{\"subtype\":\"can_use_tool\",\"tool_name\":\"Bash\",\"display_name\":\"Bash\","
        + "\"input\":{\"command\":\"" + command + "\",\"description\":\"A benchmark round\"},\"description\":\"A benchmark round\","
        + "\"permission_suggestions\":[{\"type\":\"addDirectories\",\"directories\":[\"/home/dev/project\"],\"destination\":\"session\"}],"
        + "\"tool_use_id\":\"" + toolUseId + "\"}}";

    /// <summary>The tool's result, as the CLI reports a command that ran.</summary>
    public string ToolResult(string toolUseId, string output) =>
        "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":\"" + toolUseId + "\",\"type\":\"tool_result\",\"content\":\"" + output + "\","
        + "\"is_error\":false}]},\"parent_tool_use_id\":null,\"session_id\":\"" + sessionId + "\",\"uuid\":\"" + Uuid() + "\","
        + "\"tool_use_result\":{\"stdout\":\"" + output + "\",\"stderr\":\"\",\"interrupted\":false,\"isImage\":false,\"noOutputExpected\":false}}";

    private static string Uuid() => Guid.NewGuid().ToString();
}
