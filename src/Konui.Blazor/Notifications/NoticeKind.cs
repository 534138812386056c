namespace Konui.Blazor.Notifications;

/// <summary>What is worth telling someone who is not looking: Claude waits for them, or a turn is over.</summary>
public enum NoticeKind
{
    DecisionWaiting,
    TurnEnded,
    TurnFailed,
}
