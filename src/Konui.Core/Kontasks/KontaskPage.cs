namespace Konui.Core.Kontasks;

/// <summary>One window of a kontask query, newest first, and how many kontasks matched in all.</summary>
public sealed record KontaskPage(IReadOnlyList<KontaskSummary> Items, int Total);
