namespace Konui.Core.Konsole;

/// <summary>
/// GET /api/konsole/sessions/{id}: how a console session runs now: its permission mode and model, what was allowed for
/// the session, its prompt queue, and whether Claude Code waits for an answer. <see cref="CliRunning"/> says whether a
/// CLI process runs for it (else changes apply when the next prompt starts one). <see cref="WorkingDirectory"/> is the
/// folder it runs in; <see cref="SlashCommands"/> those its latest turn's init offered (without the leading '/'), for
/// the composer's picker. <see cref="BypassAllowed"/> says whether its CLI accepts bypassPermissions at all (it was
/// started with --allow-dangerously-skip-permissions, which Claude Code refuses as root).
/// </summary>
public sealed record SessionStatus(
    string SessionId,
    string PermissionMode,
    string? Model,
    IReadOnlyList<SessionRule> Rules,
    IReadOnlyList<QueuedPrompt> Queue,
    string? RunningTurnId,
    IReadOnlyList<PendingDecision> PendingDecisions,
    bool CliRunning,
    string? WorkingDirectory = null,
    IReadOnlyList<string>? SlashCommands = null,
    bool BypassAllowed = false)
{
    /// <summary>Claude Code waits for the user: a pending decision.</summary>
    public bool Waiting => PendingDecisions.Count > 0;
}
