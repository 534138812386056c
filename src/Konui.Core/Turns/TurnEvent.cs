using System.Text.Json;
using System.Text.Json.Serialization;
using Konui.Core.Kontasks;

namespace Konui.Core.Turns;

/// <summary>
/// One thing that happened in a turn, normalized from the CLI's stream-json. <see cref="Seq"/> numbers a turn's
/// events from 1, in order; it is the SSE event id, so a reader resumes after the last one it saw.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TurnStart), "turn_start")]
[JsonDerivedType(typeof(TurnInit), "init")]
[JsonDerivedType(typeof(TextDelta), "text_delta")]
[JsonDerivedType(typeof(ThinkingDelta), "thinking_delta")]
[JsonDerivedType(typeof(AssistantBlock), "assistant")]
[JsonDerivedType(typeof(ToolResult), "tool_result")]
[JsonDerivedType(typeof(ApiRetry), "api_retry")]
[JsonDerivedType(typeof(TurnStatus), "status")]
[JsonDerivedType(typeof(TurnResult), "result")]
[JsonDerivedType(typeof(TurnEnd), "turn_end")]
[JsonDerivedType(typeof(RawEvent), "raw")]
[JsonDerivedType(typeof(DecisionRequest), "decision_request")]
[JsonDerivedType(typeof(DecisionResult), "decision_result")]
[JsonDerivedType(typeof(ControlResponse), "control_response")]
[JsonDerivedType(typeof(ControlCancel), "control_cancel")]
public abstract record TurnEvent
{
    public long Seq { get; init; }

    public DateTimeOffset At { get; init; }

    [JsonIgnore]
    public virtual bool IsTerminal => false;
}

/// <summary>The turn was accepted: who asked what, in which console session.</summary>
public sealed record TurnStart(string TurnId, string SessionId, string RequestId, string Prompt, int ImageCount) : TurnEvent;

/// <summary>
/// The CLI's system/init for this turn: model, tools and MCP servers, the folder it runs in (<see cref="Cwd"/>), and
/// the slash commands the session offers (built in, skills and the project's own), without their leading '/'.
/// </summary>
public sealed record TurnInit(
    string? Model,
    IReadOnlyList<string> Tools,
    IReadOnlyList<McpServerState> McpServers,
    string? CliSessionId,
    string? Cwd,
    string? PermissionMode,
    string? ClaudeCodeVersion,
    IReadOnlyList<string>? SlashCommands = null) : TurnEvent;

public sealed record McpServerState(string Name, string? Status);

/// <summary>A piece of assistant text as it streams.</summary>
public sealed record TextDelta(string? MessageId, int Index, string Text) : TurnEvent;

/// <summary>A piece of thinking as it streams.</summary>
public sealed record ThinkingDelta(string? MessageId, int Index, string Text) : TurnEvent;

/// <summary>
/// A finished content block of an assistant message (text, thinking or tool_use). Blocks of one API message share
/// <see cref="MessageId"/> and are numbered by <see cref="BlockIndex"/>; a block the CLI repeats is reported once.
/// </summary>
public sealed record AssistantBlock(
    string MessageId,
    int BlockIndex,
    string BlockType,
    string? Text,
    string? ToolUseId,
    string? ToolName,
    JsonElement? Input,
    string? Model,
    string? ParentToolUseId,
    bool IsApiError) : TurnEvent;

/// <summary>
/// What a tool returned to the model (<see cref="Content"/>), and what Claude Code says of it besides
/// (<see cref="ToolUseResult"/>, its <c>tool_use_result</c>: an edit's structuredPatch, a command's stdout and stderr,
/// a created task's id), less what the log has elsewhere (see <see cref="StreamJsonParser"/>).
/// </summary>
public sealed record ToolResult(string ToolUseId, string Content, bool IsError, JsonElement? ToolUseResult = null) : TurnEvent;

/// <summary>The CLI is retrying a failed API call.</summary>
public sealed record ApiRetry(int Attempt, int MaxRetries, int RetryDelayMs, int? ErrorStatus, string? Error) : TurnEvent;

/// <summary>
/// The CLI's status line, e.g. "requesting" or "compacting"; <see cref="PermissionMode"/> when it reports a change of
/// the session's permission mode (after set_permission_mode, an approved plan, or a mode granted for the session).
/// </summary>
public sealed record TurnStatus(string? Status, string? PermissionMode = null) : TurnEvent;

/// <summary>The CLI's result for the turn: outcome, usage and cost as the CLI reports them.</summary>
public sealed record TurnResult(
    string Subtype,
    bool IsError,
    string? TerminalReason,
    TurnUsage? Usage,
    double? TotalCostUsd,
    long? DurationMs,
    long? DurationApiMs,
    int? NumTurns,
    string? ResultText,
    string? CliSessionId,
    IReadOnlyList<string> Errors,
    int? ApiErrorStatus,
    JsonElement? ModelUsage) : TurnEvent;

public sealed record TurnUsage(long InputTokens, long OutputTokens, long CacheCreationInputTokens, long CacheReadInputTokens);

/// <summary>
/// The one terminal event of every turn, on every path: a result, an interrupt, a crash, a restart.
/// <see cref="CostUsd"/> is this turn's own cost (the CLI's total_cost_usd counts since its process started);
/// <see cref="ToolCalls"/> counts the turn's tool calls by tool name.
/// </summary>
public sealed record TurnEnd(bool Success, string? Error, TurnTiming? Timing, double? CostUsd = null,
    IReadOnlyDictionary<string, int>? ToolCalls = null) : TurnEvent
{
    [JsonIgnore]
    public override bool IsTerminal => true;
}

/// <summary>A line the parser does not know, passed through unchanged (or as text when it is not JSON).</summary>
public sealed record RawEvent(JsonElement? Line, string? Text) : TurnEvent;
