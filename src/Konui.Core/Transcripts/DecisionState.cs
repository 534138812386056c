namespace Konui.Core.Transcripts;

/// <summary>Where a decision stands: Claude Code waits for it, or it was allowed, denied, answered (a question) or withdrawn.</summary>
public enum DecisionState
{
    Pending,
    Allowed,
    Denied,
    Answered,
    Withdrawn,
}
