namespace Konui.Core.Konsole;

/// <summary>The body of every 4xx answer from konsole: what was wrong, in words a user can act on.</summary>
public sealed record KonsoleError(string Error, string? RunningTurnId = null);
