namespace Konui.Core.Konsole;

/// <summary>A prompt waiting behind a session's running turn; konsole sends it as a turn of its own when the turns before it end.</summary>
public sealed record QueuedPrompt(string QueuedId, string SessionId, string RequestId, string Prompt, int ImageCount, DateTimeOffset QueuedAt);
