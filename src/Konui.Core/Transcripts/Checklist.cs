namespace Konui.Core.Transcripts;

/// <summary>
/// The agent's task list of a session, as of some point in its transcript, with the turn and the call that last
/// changed it. Immutable: each change makes a new one.
/// </summary>
public sealed class Checklist
{
    private Checklist(IReadOnlyList<ChecklistItem> items, string turnId, string toolUseId)
    {
        Items = items;
        TurnId = turnId;
        ToolUseId = toolUseId;
    }

    public IReadOnlyList<ChecklistItem> Items { get; }

    /// <summary>The turn that last changed the list.</summary>
    public string TurnId { get; }

    /// <summary>The call that last changed the list.</summary>
    public string ToolUseId { get; }

    public int PendingCount => Items.Count(i => i.Status == ChecklistStatus.Pending);

    public int InProgressCount => Items.Count(i => i.Status == ChecklistStatus.InProgress);

    public int DoneCount => Items.Count(i => i.Status == ChecklistStatus.Done);

    /// <summary>
    /// The list after <paramref name="step"/>: <paramref name="before"/> itself when the step changes nothing (a
    /// TaskList that reports the list as it is). A task updated before this transcript saw it created joins the list.
    /// </summary>
    internal static Checklist? Apply(Checklist? before, ChecklistStep step, string turnId, string toolUseId)
    {
        var items = before?.Items.ToList() ?? [];
        var at = step.TaskId is { } id ? items.FindIndex(i => i.Id == id) : -1;
        switch (step.Kind)
        {
            case ChecklistStepKind.Create when step.TaskId is not null:
                var created = new ChecklistItem(step.TaskId, step.Subject ?? "", step.Status ?? ChecklistStatus.Pending, step.ActiveForm, step.Description);
                if (at >= 0) items[at] = created;
                else items.Add(created);
                break;
            case ChecklistStepKind.Update when step.TaskId is not null:
                var known = at >= 0 ? items[at] : new ChecklistItem(step.TaskId, $"Task #{step.TaskId}", ChecklistStatus.Pending);
                var updated = known with
                {
                    Subject = step.Subject ?? known.Subject,
                    Status = step.Status ?? known.Status,
                    ActiveForm = step.ActiveForm ?? known.ActiveForm,
                    Description = step.Description ?? known.Description,
                };
                if (at >= 0) items[at] = updated;
                else items.Add(updated);
                break;
            case ChecklistStepKind.Remove when at >= 0:
                items.RemoveAt(at);
                break;
            case ChecklistStepKind.Replace:
                // A TaskList reports less than the list keeps (no active form, no description): those stay as they were.
                items = step.Items.Select(i => items.Find(k => k.Id == i.Id) is { } kept
                    ? i with { ActiveForm = i.ActiveForm ?? kept.ActiveForm, Description = i.Description ?? kept.Description }
                    : i).ToList();
                break;
            default:
                return before;
        }
        return before is not null && before.Items.SequenceEqual(items) ? before : new Checklist(items, turnId, toolUseId);
    }
}
