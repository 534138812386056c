namespace Konui.Core.Konsole;

/// <summary>
/// A console session: one conversation with Claude Code, made of turns. <see cref="WaitingDecisions"/> counts the
/// decisions Claude Code waits for; <see cref="QueuedPrompts"/> the prompts waiting behind the running turn;
/// <see cref="WorkingDirectory"/> the folder it runs in.
/// </summary>
public sealed record SessionSummary(
    string SessionId,
    string FirstPrompt,
    int TurnCount,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivity,
    string? RunningTurnId,
    double CostUsd,
    long InputTokens,
    long OutputTokens,
    int WaitingDecisions = 0,
    int QueuedPrompts = 0,
    string? PermissionMode = null,
    string? Model = null,
    string? WorkingDirectory = null)
{
    /// <summary>Claude Code waits for the user in this session.</summary>
    public bool Waiting => WaitingDecisions > 0;
}
