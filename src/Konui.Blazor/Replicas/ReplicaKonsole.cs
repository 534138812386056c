namespace Konui.Blazor.Replicas;

/// <summary>
/// Another replica's embedded konsole as it announces itself in Redis: its replica's name, the URL its konsole API
/// answers at (with the Konui:AccessToken every replica shares), and its last heartbeat.
/// </summary>
public sealed record ReplicaKonsole(string Name, string Url, DateTimeOffset HeardAt);
