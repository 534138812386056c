namespace Konui.Core.Konsole;

/// <summary>GET /api/konsole/status: whether the CLI is there, and what runs now.</summary>
public sealed record KonsoleStatus(ClaudeCliStatus Cli, IReadOnlyList<ActiveTurn> ActiveTurns, int Sessions);

public sealed record ClaudeCliStatus(string Path, bool Found, string? Version, string? Error);

/// <summary>A running turn: its session and the folder that session runs in, how long it has run, the decisions it waits for.</summary>
public sealed record ActiveTurn(string TurnId, string SessionId, TurnState State, DateTimeOffset StartedAt, long ElapsedMs,
    IReadOnlyList<PendingDecision>? PendingDecisions = null, string? WorkingDirectory = null)
{
    /// <summary>Claude Code waits for the user: the turn has a pending decision.</summary>
    public bool Waiting => PendingDecisions is { Count: > 0 };
}
