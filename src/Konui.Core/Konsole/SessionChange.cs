namespace Konui.Core.Konsole;

/// <summary>
/// What a change to a session did: the session as it is now, and <see cref="Applied"/>: "now" (Claude Code took it),
/// "next start" (no CLI runs for the session; the next prompt starts one with it), or "after the running turn".
/// </summary>
public sealed record SessionChange(SessionStatus Session, string Applied)
{
    public const string Now = "now";
    public const string NextStart = "next start";
    public const string AfterRunningTurn = "after the running turn";
}
