namespace Konui.Blazor.Console;

/// <summary>What changed in a <see cref="ConsoleSession"/>: its transcript, what the status bar shows, or both.</summary>
[Flags]
public enum ConsoleChange
{
    Transcript = 1,

    /// <summary>Turn state, elapsed time, konsole's health, the last error.</summary>
    Status = 2,

    All = Transcript | Status,
}
