using System.Text.Json;
using Konui.Blazor.Hosting;
using Konui.Core;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Konui.Blazor.Notifications;

/// <summary>
/// The devices subscribed to Web Push, kept in data/push-devices.json (readable by Konui's user only: an endpoint
/// and its keys let anyone send to the device). A device subscribing again with the same endpoint replaces itself.
/// </summary>
public sealed class PushDevices
{
    public const int MaxNameLength = 100;
    public const int MaxEndpointLength = 2048;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private List<PushDevice> _devices;

    public PushDevices(IOptions<KonuiOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<PushDevices> logger)
    {
        _time = time;
        Path = System.IO.Path.Combine(options.Value.ResolveDataDir(environment.ContentRootPath), "push-devices.json");
        try
        {
            _devices = File.Exists(Path) ? JsonSerializer.Deserialize<List<PushDevice>>(File.ReadAllBytes(Path), Json) ?? [] : [];
        }
        catch (JsonException ex)
        {
            // The devices subscribe again from the settings page; the unreadable file is kept beside for a look.
            logger.LogError("{File} is not a list of push devices ({Reason}); it is kept as {File}.bad and no device is subscribed", Path, ex.Message, Path);
            File.Move(Path, Path + ".bad", overwrite: true);
            _devices = [];
        }
    }

    public string Path { get; }

    public event Action? Changed;

    public IReadOnlyList<PushDevice> All
    {
        get { lock (_gate) return [.. _devices]; }
    }

    /// <summary>Why a subscription cannot be kept, in words; null when it can.</summary>
    public static string? Check(string? endpoint, string? p256dh, string? auth, string? name)
    {
        if (string.IsNullOrWhiteSpace(endpoint) || endpoint.Length > MaxEndpointLength || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && Loopback.IsHost(uri.Host))))
        {
            return $"endpoint must be the https URL the browser's push service gave (at most {MaxEndpointLength} characters).";
        }
        if (Decoded(p256dh) is not { Length: 65 } key || key[0] != 0x04) return "keys.p256dh must be the browser's P-256 public key: 65 bytes, base64url.";
        if (Decoded(auth) is not { Length: 16 }) return "keys.auth must be the browser's 16-byte authentication secret, base64url.";
        if (name is { Length: > MaxNameLength }) return $"name must be at most {MaxNameLength} characters.";
        return null;
    }

    /// <summary>Keeps a subscription the caller has checked; one with the same endpoint is replaced (keeping its id).</summary>
    public PushDevice Add(string endpoint, string p256dh, string auth, string? name)
    {
        PushDevice device;
        lock (_gate)
        {
            var same = _devices.Find(d => d.Endpoint == endpoint);
            var shownName = string.IsNullOrWhiteSpace(name) ? same?.Name ?? $"Device {_devices.Count + 1}" : name.Trim();
            device = new PushDevice(same?.Id ?? Ids.Device(_time), shownName, endpoint, p256dh, auth, same?.AddedAt ?? _time.GetUtcNow(), same?.LastUsedAt);
            _devices = [.. _devices.Where(d => d.Endpoint != endpoint), device];
            Save();
        }
        Changed?.Invoke();
        return device;
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            if (_devices.RemoveAll(d => d.Id == id) == 0) return false;
            Save();
        }
        Changed?.Invoke();
        return true;
    }

    /// <summary>The device's push service took a message.</summary>
    public void Used(string id)
    {
        lock (_gate)
        {
            var at = _devices.FindIndex(d => d.Id == id);
            if (at < 0) return;
            _devices[at] = _devices[at] with { LastUsedAt = _time.GetUtcNow() };
            Save();
        }
        Changed?.Invoke();
    }

    private void Save() => PrivateFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(_devices, Json));

    private static byte[]? Decoded(string? base64Url)
    {
        if (string.IsNullOrWhiteSpace(base64Url)) return null;
        try
        {
            return WebEncoders.Base64UrlDecode(base64Url.TrimEnd('='));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
