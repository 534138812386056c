namespace Konsole;

/// <summary>What a git command printed, and how it ended.</summary>
internal sealed record GitOutput(int ExitCode, string Stdout, bool Truncated, string Stderr)
{
    public bool Succeeded => ExitCode == 0;
}
