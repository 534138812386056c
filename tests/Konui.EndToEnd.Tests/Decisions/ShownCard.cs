namespace Konui.EndToEnd.Tests.Decisions;

/// <summary>
/// A decision card as the page shows it: its decision, state (waiting, allowed, denied, answered, withdrawn), tool, what
/// it says Claude asks, the outcome line, and the command it shows (a Bash call's).
/// </summary>
public sealed record ShownCard(string DecisionId, string State, string Tool, string Ask, string Outcome, string? Command);
