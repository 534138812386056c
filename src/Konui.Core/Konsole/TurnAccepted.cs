namespace Konui.Core.Konsole;

/// <summary>The answer to a new turn: where to read its events.</summary>
public sealed record TurnAccepted(string TurnId, string RequestId, string SessionId);
