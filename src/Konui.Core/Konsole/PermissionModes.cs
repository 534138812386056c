namespace Konui.Core.Konsole;

/// <summary>The permission modes a session can be switched to. bypassPermissions only works where Claude Code accepts it (it refuses as root).</summary>
public static class PermissionModes
{
    public const string Default = "default";
    public const string AcceptEdits = "acceptEdits";
    public const string Plan = "plan";
    public const string BypassPermissions = "bypassPermissions";

    public static readonly IReadOnlyList<string> All = [Default, AcceptEdits, Plan, BypassPermissions];
}
