namespace Konui.Core.Transcripts;

/// <summary>
/// A Bash call as a terminal shows it: the command and what it is for, its output, and how it ended. Claude Code
/// reports a failing command as an error whose text starts "Exit code N" (<see cref="ExitCode"/> N) and merges its
/// stderr into the output then; a command that ran to the end without error exited 0. A command that did not run
/// (denied) or still runs, or one sent to the background, has no exit code.
/// </summary>
public sealed record CommandRun(
    string Command,
    string? Description,
    string Output,
    string? Stderr,
    int? ExitCode,
    bool Interrupted,
    bool InBackground) : ToolReview
{
    public bool Failed => ExitCode is not null and not 0;

    /// <summary>How many lines the output has (stderr included): a view folds a long one.</summary>
    public int OutputLineCount => FileDiff.SplitLines(Output).Length + (Stderr is null ? 0 : FileDiff.SplitLines(Stderr).Length);
}
