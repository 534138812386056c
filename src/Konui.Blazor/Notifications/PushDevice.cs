namespace Konui.Blazor.Notifications;

/// <summary>
/// A browser subscribed to Konui's Web Push: where its push service takes messages (<see cref="Endpoint"/>) and the
/// keys its messages are encrypted with (<see cref="P256dh"/>, <see cref="Auth"/>, as the browser gave them). Named by
/// its user; <see cref="LastUsedAt"/> is the last message its push service accepted.
/// </summary>
public sealed record PushDevice(string Id, string Name, string Endpoint, string P256dh, string Auth, DateTimeOffset AddedAt, DateTimeOffset? LastUsedAt = null);
