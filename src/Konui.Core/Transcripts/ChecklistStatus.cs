namespace Konui.Core.Transcripts;

/// <summary>Where a task of the agent's task list stands.</summary>
public enum ChecklistStatus
{
    Pending,
    InProgress,
    Done,
}
