namespace Konsole;

/// <summary>
/// What a session has settled that a CLI started for it must be told: its model and permission mode (null: the
/// configured default), and the settings file (given with --settings, readable by konsole's user only) that holds the
/// rules and directories allowed for the session, so that no command the user allowed shows in a process list.
/// </summary>
public sealed record SessionLaunch(string? Model, string? PermissionMode, string? SettingsFile)
{
    public static readonly SessionLaunch Defaults = new(null, null, null);
}
