using System.Security.Cryptography;
using System.Text.Json;
using Konui.Blazor.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Konui.Blazor.Notifications;

/// <summary>
/// Konui's VAPID key pair (P-256), which signs every Web Push request so a push service knows it comes from the
/// Konui the device subscribed to. Made on first run and kept in data/vapid.json, readable by Konui's user only; the
/// public key is what a browser subscribes with.
/// </summary>
public sealed class VapidKeys
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public VapidKeys(IOptions<KonuiOptions> options, IHostEnvironment environment, ILogger<VapidKeys> logger)
    {
        Path = System.IO.Path.Combine(options.Value.ResolveDataDir(environment.ContentRootPath), "vapid.json");
        Contact = options.Value.PushContact;
        if (Read(Path) is { } kept)
        {
            (PublicKey, PrivateKey) = (kept.PublicKey, kept.PrivateKey);
            return;
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        PublicKey = WebEncoders.Base64UrlEncode([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]);
        PrivateKey = WebEncoders.Base64UrlEncode(parameters.D!);
        PrivateFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(new Stored(PublicKey, PrivateKey), Json));
        logger.LogInformation("Made Konui's Web Push (VAPID) keys in {File}", Path);
    }

    public string Path { get; }

    /// <summary>The uncompressed P-256 public key, base64url: the browser's applicationServerKey.</summary>
    public string PublicKey { get; }

    /// <summary>The private scalar, base64url. Never leaves this process and data/vapid.json.</summary>
    public string PrivateKey { get; }

    /// <summary>The VAPID subject: who runs this Konui (Konui:PushContact).</summary>
    public string Contact { get; }

    /// <summary>The keys kept, or null when there are none yet; a file that is not keys is an error to fix, never overwritten.</summary>
    private static Stored? Read(string path)
    {
        if (!File.Exists(path)) return null;
        var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(path), Json);
        return stored is { PublicKey.Length: > 0, PrivateKey.Length: > 0 }
            ? stored
            : throw new InvalidDataException($"{path} holds no VAPID keys: move it away to make new ones (devices then subscribe again).");
    }

    private sealed record Stored(string PublicKey, string PrivateKey);
}
