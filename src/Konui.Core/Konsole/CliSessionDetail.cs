namespace Konui.Core.Konsole;

/// <summary>A Claude Code session from the CLI's transcript store with every prompt it was given, oldest first.</summary>
public sealed record CliSessionDetail(CliSessionSummary Session, IReadOnlyList<CliPrompt> Prompts);
