namespace Konui.Core.Transcripts;

/// <summary>
/// A call that changes the agent's task list, as it applies to the list once it succeeded: a TaskCreate adds a task
/// (its id comes with the result), a TaskUpdate changes one (or removes it: status "deleted"), a TodoWrite gives the
/// whole list, and a TaskList reports the whole list as Claude Code keeps it.
/// </summary>
public sealed record ChecklistStep(
    ChecklistStepKind Kind,
    string? TaskId,
    string? Subject,
    ChecklistStatus? Status,
    IReadOnlyList<ChecklistItem> Items,
    string? ActiveForm = null,
    string? Description = null) : ToolReview;

public enum ChecklistStepKind
{
    Create,
    Update,
    Remove,
    Replace,
}
