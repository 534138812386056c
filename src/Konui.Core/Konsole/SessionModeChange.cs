namespace Konui.Core.Konsole;

/// <summary>POST /api/konsole/sessions/{id}/mode: the permission mode to switch the session to (see <see cref="PermissionModes"/>).</summary>
public sealed record SessionModeChange(string Mode);
