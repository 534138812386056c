using Konui.Testing;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>
/// Konui goes out of reach mid-turn while the browser stays online (the relay between them is cut): the reconnect
/// panel says so and the status bar says "Reconnecting"; when Konui is back the panel goes, and the turn is whole.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ReconnectTests
{
    private readonly DashboardFixture _konui;

    public ReconnectTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
    }

    [Fact]
    public async Task When_konui_goes_away_mid_turn_the_reconnect_panel_shows_and_when_it_returns_the_panel_goes_and_the_turn_is_whole()
    {
        var answer = Words.Numbered("reach", 60);
        _konui.Konui.Model.SetScript(_ => ModelReply.Text(answer, chunks: 60, delayBetweenChunks: TimeSpan.FromMilliseconds(100)));
        await using var network = NetworkLink.To(_konui.Konui.Konui.Port);
        var browser = _konui.Browser;
        var page = new DashboardPage(browser, network.BaseUrl);
        var (_, turnId) = await page.StartSessionAsync("Count to sixty, please");
        await page.WaitForAnswerStreamingAsync(turnId, characters: 20);
        Assert.Equal("none", Panel().Display);
        page.MarkDocument();

        network.Cut();

        var shown = await Browser.WaitForAsync(() => Panel() is { Display: not "none" } panel ? panel : null, TimeSpan.FromSeconds(10), "the reconnect panel");
        Assert.Equal("Konui is out of reach", shown.Title);
        Assert.Contains("Nothing is lost", shown.Detail, StringComparison.Ordinal);
        Assert.Equal("reconnecting", page.Connection);
        Assert.Equal("Reconnecting…", StatusConnection());
        browser.SaveScreenshot(Path.Combine(RepoRoot.Find(), "docs", "pages", "reconnecting.png"));
        Assert.True(browser.Run("return document.querySelector('[data-konui-stop]').disabled;") is true, "Stop is enabled while Konui is out of reach.");
        // The turn goes on without the page: about 6 s in all, so it ends while the page cannot hear it.
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.NotEqual(answer, page.Turn(turnId)!.Answer);
        Assert.Equal("running", page.Turn(turnId)!.State);
        Assert.NotEqual("none", Panel().Display);

        network.Restore();

        await Browser.WaitForAsync(() => Panel().Display == "none" ? "hidden" : null, TimeSpan.FromSeconds(20), "the reconnect panel to go");
        Assert.Equal("connected", page.Connection);
        Assert.Equal("Connected", StatusConnection());
        var turn = await page.WaitForEndAsync(turnId, TimeSpan.FromSeconds(10));
        Assert.Equal("ok", turn.State);
        Assert.Equal(answer, turn.Answer);
        Assert.True(page.IsSameDocument(), "The page reloaded instead of reconnecting.");
        Assert.True(browser.Run("return document.querySelector('.prompt-box textarea').disabled;") is false, "The prompt box stays disabled after reconnecting.");
    }

    private sealed record ShownPanel(string Display, string Title, string Detail);

    private ShownPanel Panel()
    {
        var panel = _konui.Browser.Run<IReadOnlyDictionary<string, object>>("""
            const panel = document.getElementById('components-reconnect-modal');
            return { display: getComputedStyle(panel).display, title: panel.querySelector('.reconnect-title').textContent, detail: panel.querySelector('.reconnect-detail').textContent };
            """);
        return new ShownPanel((string)panel["display"], (string)panel["title"], (string)panel["detail"]);
    }

    private string StatusConnection() =>
        _konui.Browser.Run<string>("return [...document.querySelectorAll('.status-connection > span:not(.dot)')].find(e => getComputedStyle(e).display !== 'none')?.textContent ?? '';");
}
