namespace Konui.Core.Transcripts;

/// <summary>A task of the agent's task list: its id (Claude Code's), what it is, and where it stands; <see cref="ActiveForm"/> says it while it is in progress ("Running tests").</summary>
public sealed record ChecklistItem(string Id, string Subject, ChecklistStatus Status, string? ActiveForm = null, string? Description = null);
