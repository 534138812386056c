namespace Konui.Blazor.Console;

/// <summary>What changed in a <see cref="ConsoleSession"/>: its transcript, what the status bar shows, or both; and whether its files may have.</summary>
[Flags]
public enum ConsoleChange
{
    Transcript = 1,

    /// <summary>Turn state, elapsed time, konsole's health, the last error.</summary>
    Status = 2,

    All = Transcript | Status,

    /// <summary>The session's files may have changed: a turn ended, or a tool that writes files (Write, Edit, MultiEdit, Bash) returned.</summary>
    Files = 4,
}
