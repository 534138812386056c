namespace Konui.Core.Konsole;

/// <summary>A console session: one conversation with Claude Code, made of turns.</summary>
public sealed record SessionSummary(
    string SessionId,
    string FirstPrompt,
    int TurnCount,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivity,
    string? RunningTurnId,
    double CostUsd,
    long InputTokens,
    long OutputTokens);
