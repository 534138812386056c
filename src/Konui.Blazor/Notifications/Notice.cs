namespace Konui.Blazor.Notifications;

/// <summary>
/// One thing to tell the user, read from a turn's events: a decision waits (<see cref="DecisionId"/> and the tool),
/// or a turn ended or failed. <see cref="Url"/> opens its session at the decision; <see cref="Tag"/> names it, so a
/// browser shows one notification for it however many tabs and push messages report it. <see cref="EventAt"/> is
/// when konsole saw it happen.
/// </summary>
public sealed record Notice(NoticeKind Kind, string SessionId, string TurnId, string? DecisionId, string? ToolName, string Title, string Body,
    DateTimeOffset EventAt)
{
    public string Url => DecisionId is null
        ? $"/?session={Uri.EscapeDataString(SessionId)}"
        : $"/?session={Uri.EscapeDataString(SessionId)}#decision-{Uri.EscapeDataString(DecisionId)}";

    public string Tag => DecisionId is null ? $"konui-turn-{TurnId}" : $"konui-decision-{DecisionId}";

    /// <summary>The kind as the browser's script and the push message name it: decision, ended or failed.</summary>
    public string KindName => Kind switch
    {
        NoticeKind.DecisionWaiting => "decision",
        NoticeKind.TurnEnded => "ended",
        _ => "failed",
    };

    /// <summary>What a notification shows and where a click goes, as the service worker and the page's script read it.</summary>
    public object Message => new { kind = KindName, title = Title, body = Body, tag = Tag, url = Url, sessionId = SessionId, turnId = TurnId, decisionId = DecisionId };
}
