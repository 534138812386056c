namespace Konui.Core.Konsole;

/// <summary>
/// GET and PUT /api/konsole/defaults: how a new console session starts: its permission mode (see
/// <see cref="PermissionModes"/>) and model (null: Claude Code's own). Sessions that exist keep what they have.
/// </summary>
public sealed record SessionDefaults(string PermissionMode, string? Model);
