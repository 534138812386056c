using System.Text.Json;

namespace Konui.Core.Turns;

/// <summary>
/// Claude Code asks whether a tool may run (its can_use_tool control request) and waits: a decision for the user.
/// <see cref="DecisionId"/> is konsole's (empty as the parser reads it, until konsole gives it one);
/// <see cref="CliRequestId"/> is the CLI's, which the answer names. <see cref="PermissionSuggestions"/> are the CLI's
/// PermissionUpdate objects offered for "allow for this session". The event's time is when konsole read the request.
/// </summary>
public sealed record DecisionRequest(
    string DecisionId,
    string CliRequestId,
    string ToolName,
    string? DisplayName,
    JsonElement? Input,
    string? Description,
    JsonElement? PermissionSuggestions,
    string? ToolUseId,
    string? BlockedPath,
    string? DecisionReason,
    string? AgentId) : TurnEvent
{
    /// <summary>The tool whose answer is the user's reply rather than a permission: its questions' answers go back as updatedInput.answers.</summary>
    public const string AskUserQuestionTool = "AskUserQuestion";

    /// <summary>The tool that ends plan mode: its input carries the plan (or is empty when the model wrote no plan file).</summary>
    public const string ExitPlanModeTool = "ExitPlanMode";
}
