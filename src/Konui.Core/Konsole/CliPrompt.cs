namespace Konui.Core.Konsole;

/// <summary>A prompt as Claude Code's transcript keeps it: the text the user sent, and when.</summary>
public sealed record CliPrompt(string Text, DateTimeOffset At);
