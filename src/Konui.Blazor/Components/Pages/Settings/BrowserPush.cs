namespace Konui.Blazor.Components.Pages.Settings;

/// <summary>
/// What this browser can do, as its script says (konui.push.state): its notification permission (default, granted,
/// denied, or unsupported without the Notification API), whether it can take push messages (a service worker in a
/// secure context), its push subscription's endpoint if it has one, and what to call it until its user names it.
/// </summary>
public sealed record BrowserPush(string Notifications, bool Push, string? Endpoint, string DeviceName);
