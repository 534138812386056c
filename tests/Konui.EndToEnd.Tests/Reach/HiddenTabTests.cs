using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Reach;

/// <summary>
/// A tab nobody looks at catches the eye: while a decision waits its title starts with the count and the tool and its
/// favicon gets a dot; a turn that ends meanwhile says so in the title until the tab is seen; with notifications
/// allowed, each becomes one browser notification that opens the session at the decision.
/// </summary>
[Collection(ReachCollection.Name)]
public sealed class HiddenTabTests
{
    // Records, in the tab, every title and favicon it shows and whether it was hidden then, so what a hidden tab
    // showed is known after it is looked at again.
    private const string RecordLooks = """
        window.__konuiLooks = [];
        const look = () => {
          const entry = (document.hidden ? 'hidden' : 'visible') + ' | ' + document.title + ' | ' + document.querySelector("link[rel='icon']").getAttribute('href');
          if (window.__konuiLooks[window.__konuiLooks.length - 1] !== entry) window.__konuiLooks.push(entry);
        };
        new MutationObserver(look).observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
        document.addEventListener('visibilitychange', look);
        look();
        """;

    private readonly ReachFixture _konui;
    private readonly DashboardPage _page;

    public HiddenTabTests(ReachFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task A_hidden_tab_counts_the_waiting_decision_in_its_title_and_favicon_then_says_the_turn_ended_until_it_is_seen()
    {
        // Claude asks only once the tab is hidden: a decision that comes while the reader looks is no news to them.
        var hidden = new TaskCompletionSource();
        _konui.Konui.Model.SetScript(async (request, cancel) =>
        {
            if (request.HasToolResult) return ModelReply.Text("The marker is there.");
            await hidden.Task.WaitAsync(cancel);
            return ModelReply.Bash("echo hidden > hidden.txt", "Write a marker");
        });
        var browser = _konui.Browser;
        browser.Driver.ExecuteCdpCommand("Browser.grantPermissions", new Dictionary<string, object?> { ["origin"] = _konui.BaseUrl, ["permissions"] = new[] { "notifications" } });
        var (sessionId, turnId) = await _page.StartSessionAsync("Make the hidden marker");
        await using var watch = TurnWatch.Start(_konui.Konui.Konsole, turnId);
        var pageTitle = browser.Title;
        browser.Run(RecordLooks);
        var tabA = browser.Driver.CurrentWindowHandle;

        await browser.OpenTabAsync(_konui.BaseUrl + "/kontasks");
        hidden.SetResult();
        var decision = (await watch.WaitForAsync<DecisionRequest>()).DecisionId;
        var hiddenTitle = await Browser.WaitForAsync(() => TitleOf(tabA) is { } title && title.StartsWith('(') ? title : null, TimeSpan.FromSeconds(10), "tab A's title while hidden");
        Assert.Equal("(1) Waiting: Bash · Konui", hiddenTitle);
        await _konui.Konui.Konsole.AnswerDecisionAsync(turnId, decision, new DecisionAnswer("allow", Client: "the test"));
        await Browser.WaitForAsync(() => TitleOf(tabA) == "Turn ended · Konui" ? "ended" : null, TimeSpan.FromSeconds(30), "tab A's title to say the turn ended");

        browser.SwitchToTab(tabA);
        List<string> looks;
        try
        {
            looks = await Browser.WaitForAsync(() => Looks(browser) is var seen && seen[^1].StartsWith("visible | Dashboard", StringComparison.Ordinal) ? seen : null,
                TimeSpan.FromSeconds(10), "tab A's own title once it is seen");
        }
        catch (TimeoutException notBack)
        {
            throw new TimeoutException(notBack.Message + " What the tab showed:\n" + string.Join("\n", Looks(browser)), notBack);
        }
        var story = string.Join("\n", looks);
        Assert.Matches($"^visible \\| {pageTitle} \\| [^|]*favicon[^|]*\\.svg$", looks[0]);
        var waitingAt = looks.IndexOf("hidden | (1) Waiting: Bash · Konui | /favicon-waiting.svg");
        var endedAt = looks.FindIndex(l => l.StartsWith("hidden | Turn ended · Konui | ", StringComparison.Ordinal) && !l.EndsWith("waiting.svg", StringComparison.Ordinal));
        Assert.True(waitingAt > 0 && endedAt > waitingAt, story);
        Assert.Equal(looks[0].Replace(pageTitle, "Dashboard · Konui", StringComparison.Ordinal), looks[^1]);
        Assert.DoesNotContain(looks, l => l.StartsWith("visible | (", StringComparison.Ordinal) || l.StartsWith("visible | Turn", StringComparison.Ordinal));

        // The browser shows one notification for the decision and one for the turn's end, each opening the session.
        var shown = await Browser.WaitForAsync(() => Notifications() is { Count: >= 2 } all ? all : null, TimeSpan.FromSeconds(10), "the browser's notifications");
        Assert.Equal(
            [
                $"Waiting: Bash | echo hidden > hidden.txt | konui-decision-{decision} | /?session={sessionId}#decision-{decision}",
                $"Turn ended | Make the hidden marker | konui-turn-{turnId} | /?session={sessionId}",
            ], shown);
    }

    /// <summary>What the tab showed, in order: "visible | title | favicon" or "hidden | ...".</summary>
    private static List<string> Looks(Browser browser) => browser.Run<IReadOnlyCollection<object>>("return window.__konuiLooks;").Select(l => (string)l).ToList();

    /// <summary>The title of another tab, as the browser's tab strip shows it, read without bringing that tab forward.</summary>
    private string? TitleOf(string handle)
    {
        var targets = (Dictionary<string, object>)_konui.Browser.Driver.ExecuteCdpCommand("Target.getTargets", [])!;
        var pages = ((IEnumerable<object>)targets["targetInfos"]).Cast<Dictionary<string, object>>().Where(t => (string)t["type"] == "page").ToList();
        return pages.FirstOrDefault(t => string.Equals((string)t["targetId"], handle, StringComparison.OrdinalIgnoreCase))?["title"] as string;
    }

    private IReadOnlyList<string>? Notifications() =>
        (_konui.Browser.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            navigator.serviceWorker.ready.then(r => r.getNotifications()).then(all => done(all.map(n => [n.title, n.body, n.tag, n.data.url].join(' | '))), e => done(['error: ' + e]));
            """) as IReadOnlyCollection<object>)?.Select(n => (string)n).ToList();
}
