namespace Konui.Core.Konsole;

/// <summary>
/// A Claude Code session konsole has no turns of: one found in the CLI's own transcript store (made in a terminal, or
/// by another konsole), with its first prompt and last activity read from its transcript, and the folder it ran in.
/// </summary>
public sealed record CliSessionSummary(
    string SessionId,
    string FirstPrompt,
    int PromptCount,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivity,
    string WorkingDirectory);
