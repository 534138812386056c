namespace Konsole;

/// <summary>
/// What a session has settled that a CLI started for it must be told: its model and permission mode (null: the
/// configured default), the rules allowed for the session (<c>Bash(touch touched.txt)</c>, given with --allowedTools)
/// and the directories (--add-dir).
/// </summary>
public sealed record SessionLaunch(string? Model, string? PermissionMode, IReadOnlyList<string> AllowedRules, IReadOnlyList<string> Directories)
{
    public static readonly SessionLaunch Defaults = new(null, null, [], []);
}
