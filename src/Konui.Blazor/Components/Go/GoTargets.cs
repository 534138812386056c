using Konui.Blazor.Components.Pages.Sessions;
using Konui.Blazor.Console;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Components.Go;

/// <summary>What the Go box finds for what was typed: pages by name, sessions by prompt or id prefix, kontasks by title or id prefix.</summary>
public static class GoTargets
{
    private const int SessionsShown = 5;
    private const int KontasksShown = 5;

    private static readonly IReadOnlyList<GoTarget> Pages =
    [
        new("Page", "Dashboard", "the console", "/"),
        new("Page", "Kontasks", "cards Claude made", "/kontasks"),
        new("Page", "Sessions", "every conversation", "/sessions"),
        new("Page", "Logs", "what Konui is doing", "/logs"),
        new("Page", "Telemetry", "turn timing and tools", "/telemetry"),
        new("Page", "Reports", "usage and cost", "/reports"),
        new("Page", "Settings", "notifications, push devices, new sessions", "/settings"),
    ];

    /// <summary>Pages whose name contains the text; all of them for no text.</summary>
    public static IEnumerable<GoTarget> PagesMatching(string text) =>
        Pages.Where(p => p.Title.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Kontasks whose id starts with the text, then those whose title (or description, or tags) has it; newest first.</summary>
    public static IEnumerable<GoTarget> Kontasks(KontaskStore store, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var byId = store.Query(new KontaskQuery(IdPrefix: text, Take: KontasksShown)).Items;
        var byTitle = store.Query(new KontaskQuery(Search: text, Take: KontasksShown)).Items;
        return byId.Concat(byTitle).DistinctBy(k => k.Id).Take(KontasksShown)
            .Select(k => new GoTarget("Kontask", k.Title, k.Id, $"/kontasks/{Uri.EscapeDataString(k.Id)}"));
    }

    /// <summary>Sessions (konsole's, then Claude Code's own) with a prompt containing the text or an id starting with it, newest first.</summary>
    /// <remarks>With several machines, sessions from every machine that answers, each saying its machine; none answering throws.</remarks>
    public static async Task<IEnumerable<GoTarget>> SessionsAsync(Konsoles konsoles, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var sessions = await konsoles.GetSessionsAsync(text, cancellationToken);
        if (sessions.Failure(konsoles.All.Length) is { } failure) throw new KonsoleException(System.Net.HttpStatusCode.BadGateway, failure);
        var cliSessions = await konsoles.GetCliSessionsAsync(text, cancellationToken);
        string Where(KonsoleMachine machine, string sessionId) => sessionId[..Math.Min(8, sessionId.Length)] + (konsoles.Several ? $" · on {machine.Name}" : "");
        return sessions.Items.Select(s => (s.Item.LastActivity, Target: new GoTarget("Session", SessionText.OneLine(s.Item.FirstPrompt, 80), Where(s.Machine, s.Item.SessionId), Href(s.Item.SessionId))))
            .Concat(cliSessions.Items.Select(s => (s.Item.LastActivity, Target: new GoTarget("Claude Code session", SessionText.OneLine(s.Item.FirstPrompt, 80), Where(s.Machine, s.Item.SessionId), Href(s.Item.SessionId)))))
            .OrderByDescending(s => s.LastActivity)
            .Take(SessionsShown)
            .Select(s => s.Target);
    }

    private static string Href(string sessionId) => $"/sessions/{Uri.EscapeDataString(sessionId)}";
}
