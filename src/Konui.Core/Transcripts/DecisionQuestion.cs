namespace Konui.Core.Transcripts;

/// <summary>One of an AskUserQuestion's questions: its text, its short header, its options, and whether several may be chosen.</summary>
public sealed record DecisionQuestion(string Question, string? Header, IReadOnlyList<DecisionOption> Options, bool MultiSelect);

/// <summary>An option of a question, with what it means.</summary>
public sealed record DecisionOption(string Label, string? Description);
