using System.Text.Json;
using Konui.Blazor.Hosting;
using Microsoft.Extensions.Options;

namespace Konui.Blazor.Notifications;

/// <summary>
/// Which events notify (<see cref="NotifyOn"/>), as chosen on the settings page and kept in data/notifications.json.
/// A file that cannot be read is reported, and every event notifies.
/// </summary>
public sealed class NotificationSettings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly ILogger<NotificationSettings> _logger;
    private NotifyOn _current;

    public NotificationSettings(IOptions<KonuiOptions> options, IHostEnvironment environment, ILogger<NotificationSettings> logger)
    {
        _logger = logger;
        Path = System.IO.Path.Combine(options.Value.ResolveDataDir(environment.ContentRootPath), "notifications.json");
        _current = Read();
    }

    public string Path { get; }

    public NotifyOn Current => Volatile.Read(ref _current);

    public event Action? Changed;

    public void Set(NotifyOn notifyOn)
    {
        PrivateFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(notifyOn, Json));
        Volatile.Write(ref _current, notifyOn);
        Changed?.Invoke();
    }

    private NotifyOn Read()
    {
        try
        {
            if (File.Exists(Path)) return JsonSerializer.Deserialize<NotifyOn>(File.ReadAllBytes(Path), Json) ?? new NotifyOn();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            _logger.LogWarning("Could not read {File} ({Reason}); every event notifies", Path, ex.Message);
        }
        return new NotifyOn();
    }
}
