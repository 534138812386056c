namespace Konui.Core.Konsole;

/// <summary>
/// The answer to a prompt sent with queue: true: the turn it started (<see cref="TurnId"/>), or, when the session was
/// busy, its place in the session's queue (<see cref="Queued"/>; its turn starts when the turns before it end).
/// </summary>
public sealed record PromptAccepted(string? TurnId, string RequestId, string SessionId, QueuedPrompt? Queued = null);
