namespace Konui.Core.Events;

/// <summary>A message from an administrator to every open dashboard.</summary>
public sealed record Broadcast(string Id, string Message, BroadcastLevel Level, DateTimeOffset At);

public enum BroadcastLevel
{
    Info,
    Warning,
    Error,
}
