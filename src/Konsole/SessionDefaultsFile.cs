using System.Text.Json;
using Konui.Core.Konsole;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// The defaults for new console sessions as the user last set them (the settings page, or PUT /api/konsole/defaults),
/// kept in defaults.json in konsole's data folder; until then, the configured Konsole:PermissionMode and
/// Konsole:Model. A file that cannot be read is reported and the configured defaults apply.
/// </summary>
public sealed class SessionDefaultsFile
{
    private readonly KonsoleOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private SessionDefaults? _chosen;

    public SessionDefaultsFile(KonsoleOptions options, ILogger<SessionDefaultsFile> logger)
    {
        _options = options;
        _logger = logger;
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(options.DataDir, "defaults.json"));
        _chosen = Read();
    }

    public string Path { get; }

    /// <summary>The configured defaults: what a session that never chose runs with.</summary>
    public SessionDefaults Configured => new(_options.PermissionMode ?? PermissionModes.Default, string.IsNullOrWhiteSpace(_options.Model) ? null : _options.Model);

    /// <summary>What a new session starts with now.</summary>
    public SessionDefaults Current
    {
        get { lock (_gate) return _chosen ?? Configured; }
    }

    /// <summary>Keeps new defaults (a null or empty model: the configured one); the caller has checked them.</summary>
    public SessionDefaults Set(string permissionMode, string? model)
    {
        var chosen = new SessionDefaults(permissionMode, string.IsNullOrWhiteSpace(model) ? Configured.Model : model.Trim());
        lock (_gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = Path + ".new";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(chosen, KonsoleJson.Options));
            File.Move(temporary, Path, overwrite: true);
            _chosen = chosen;
        }
        _logger.LogInformation("New sessions now start in mode {Mode} with model {Model}", chosen.PermissionMode, chosen.Model ?? "(Claude Code's default)");
        return chosen;
    }

    private SessionDefaults? Read()
    {
        try
        {
            if (!File.Exists(Path)) return null;
            var read = JsonSerializer.Deserialize<SessionDefaults>(File.ReadAllBytes(Path), KonsoleJson.Options);
            if (read is { PermissionMode: { } mode } && PermissionModes.All.Contains(mode, StringComparer.Ordinal)) return read;
            _logger.LogWarning("{File} names no known permission mode; the configured defaults apply", Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            _logger.LogWarning("Could not read {File} ({Reason}); the configured defaults apply", Path, ex.Message);
        }
        return null;
    }
}
