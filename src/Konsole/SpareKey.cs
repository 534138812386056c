using Konui.Core.Konsole;

namespace Konsole;

/// <summary>
/// What a spare CLI was started for: the folder it runs in, its model and its permission mode. A new session takes
/// the spare only when it would start its own CLI exactly so.
/// </summary>
public sealed record SpareKey(string Folder, string? Model, string Mode)
{
    /// <summary>A new session's key: the folder, model and mode it names, else konsole's folder and the defaults for new sessions.</summary>
    public static SpareKey For(KonsoleOptions options, SessionDefaults defaults, string? folder, string? model, string? mode) =>
        new(folder ?? options.WorkingDirectory ?? Directory.GetCurrentDirectory(), model ?? defaults.Model, mode ?? defaults.PermissionMode);

    public override string ToString() => $"{Folder}, model {Model ?? "(the CLI's default)"}, mode {Mode}";
}
