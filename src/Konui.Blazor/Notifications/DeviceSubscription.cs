namespace Konui.Blazor.Notifications;

/// <summary>
/// POST /api/push/devices: a browser's push subscription as its PushSubscription.toJSON() gives it
/// ({endpoint, keys: {p256dh, auth}}), and the name to show for the device.
/// </summary>
public sealed record DeviceSubscription(string? Endpoint, DeviceSubscriptionKeys? Keys, string? Name);
