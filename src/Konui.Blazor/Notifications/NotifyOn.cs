namespace Konui.Blazor.Notifications;

/// <summary>Which notices reach the user, in a browser notification and by Web Push: all of them unless they say otherwise.</summary>
public sealed record NotifyOn(bool DecisionWaiting = true, bool TurnEnded = true, bool TurnFailed = true)
{
    public bool Allows(NoticeKind kind) => kind switch
    {
        NoticeKind.DecisionWaiting => DecisionWaiting,
        NoticeKind.TurnEnded => TurnEnded,
        _ => TurnFailed,
    };
}
