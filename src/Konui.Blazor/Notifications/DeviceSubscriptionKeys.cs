namespace Konui.Blazor.Notifications;

/// <summary>A push subscription's keys: the browser's P-256 public key and its authentication secret, base64url.</summary>
public sealed record DeviceSubscriptionKeys(string? P256dh, string? Auth);
