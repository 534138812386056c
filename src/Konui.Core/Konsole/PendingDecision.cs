namespace Konui.Core.Konsole;

/// <summary>A decision Claude Code waits for: which turn, which tool, since when. Its full request is the turn's decision_request event.</summary>
public sealed record PendingDecision(string DecisionId, string TurnId, string ToolName, string? ToolUseId, DateTimeOffset AskedAt);
