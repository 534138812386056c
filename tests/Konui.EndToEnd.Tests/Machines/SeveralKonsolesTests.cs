using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Machines;

/// <summary>
/// Two konsoles under one Konui: sessions on both, each listed with its machine; one machine frozen mid-turn (its
/// status shows offline, its running turn "machine unreachable", never lost) and let go on (the turn's remaining
/// events arrive and it ends as it would have); and the far konsole's token on no page.
/// </summary>
public sealed class SeveralKonsolesTests(SeveralKonsolesFixture fixture) : IClassFixture<SeveralKonsolesFixture>
{
    /// <summary>How long a frozen konsole may take to show as offline: its status is given up on after 5 s, polled each second.</summary>
    private static readonly TimeSpan OfflineWithin = TimeSpan.FromSeconds(20);

    private Browser Browser => fixture.Browser;

    [Fact]
    public async Task Two_konsoles_under_one_Konui_sessions_on_both_one_stopped_and_restarted_mid_turn()
    {
        var page = new DashboardPage(Browser, fixture.Konui.BaseUrl);
        var (localSession, localTurn) = await page.StartSessionAsync("Say hello from local");
        Assert.Equal("ok", (await page.WaitForEndAsync(localTurn)).State);
        Assert.Null(Browser.FindOrNull(".console-machine[data-machine='far']"));
        Assert.NotNull(Browser.FindOrNull(".console-machine[data-machine='local']"));

        // "+ New session" chooses the machine: far has no project folders, so it starts in its konsole's own folder.
        Browser.FindOrNull(".session-new")!.Click();
        (await Browser.WaitForAsync(() => Browser.FindOrNull(".project-machine[data-machine='far']"), Browser.PageTimeout, "the machines to choose from")).Click();
        await Browser.WaitForAsync(() => Browser.FindOrNull(".project-none")?.Text.Contains("far has no project folders", StringComparison.Ordinal) == true ? "" : null,
            Browser.PageTimeout, "far's project folders");
        Browser.FindOrNull(".project-default")!.Click();
        await Browser.WaitForAsync(() => Browser.Driver.Url.Contains("machine=far", StringComparison.Ordinal) ? "" : null, Browser.PageTimeout, "the new session's machine in the address");
        await page.WaitForLiveAsync();
        await Browser.WaitForAsync(() => Browser.FindOrNull(".console-machine[data-machine='far']"), Browser.PageTimeout, "the console to say the session starts on far");
        var farTurn = await page.SendAsync("Count slowly, please");
        var farSession = await Browser.WaitForAsync(() => page.SessionId, TimeSpan.FromSeconds(10), "the far session's id in the address");

        var before = await page.WaitForAnswerStreamingAsync(farTurn);
        fixture.Far.Freeze();
        try
        {
            await Browser.WaitForAsync(() => Browser.FindOrNull(".status-machine[data-machine='far'][data-health='offline']"), OfflineWithin, "the status bar to show far offline");
            var unreachable = await Browser.WaitForAsync(() => Browser.FindOrNull($"article.turn[data-turn-id='{farTurn}'] .turn-unreachable"), Browser.PageTimeout, "the turn to say its machine is unreachable");
            Assert.Equal("Machine unreachable: far does not answer", unreachable.Text);
            Assert.Equal("running", page.Turn(farTurn)!.State);
            Assert.StartsWith(before.Answer, page.Turn(farTurn)!.Answer, StringComparison.Ordinal);
            Assert.NotNull(Browser.FindOrNull(".status-machine[data-machine='local'][data-health='online']"));
            Assert.Contains("machine unreachable (far)", Browser.FindOrNull(".status-turn")!.Text, StringComparison.Ordinal);
            Browser.SaveScreenshot(Path.Combine(RepoRoot.Find(), "docs", "pages", "machine-unreachable.png"));
        }
        finally
        {
            fixture.Far.Continue();
        }

        var ended = await page.WaitForEndAsync(farTurn);
        Assert.Equal(("ok", SeveralKonsolesFixture.SlowAnswer), (ended.State, ended.Answer));
        Assert.Null(Browser.FindOrNull(".turn-unreachable"));
        await Browser.WaitForAsync(() => Browser.FindOrNull(".status-machine[data-machine='far'][data-health='online']"), Browser.PageTimeout, "far back online");

        // Both sessions are listed, each with its machine, and the list filters by machine.
        await Browser.OpenAsync(fixture.Konui.BaseUrl + "/sessions");
        await Browser.WaitForAsync(() => Browser.FindOrNull($".session-row[data-session-id='{farSession}'][data-machine='far']"), Browser.PageTimeout, "the far session, on far");
        Assert.NotNull(Browser.FindOrNull($".session-row[data-session-id='{localSession}'][data-machine='local']"));
        Assert.Equal("far", Browser.FindOrNull($".session-row[data-session-id='{farSession}'] .session-row-machine")!.Text);
        await Browser.OpenAsync(fixture.Konui.BaseUrl + "/sessions?machine=far");
        await Browser.WaitForAsync(() => Browser.Driver.FindElements(OpenQA.Selenium.By.CssSelector(".session-row")).Count == 1 ? "" : null, Browser.PageTimeout, "only far's session");
        Assert.NotNull(Browser.FindOrNull($".session-row[data-session-id='{farSession}']"));
        Assert.Empty(fixture.Model.ScriptErrors);
    }

    [Fact]
    public async Task A_konsole_killed_mid_turn_and_started_again_ends_the_turn_as_konsole_says_with_everything_before_and_nothing_lost()
    {
        var page = new DashboardPage(Browser, fixture.Konui.BaseUrl);
        await Browser.OpenAsync(fixture.Konui.BaseUrl + "/?new=true&machine=far");
        await page.WaitForLiveAsync();
        var turn = await page.SendAsync("Count slowly, then stop");
        await page.WaitForAnswerStreamingAsync(turn);

        await fixture.Far.KillAsync();
        var beforeStop = page.Turn(turn)!.Answer;
        await Browser.WaitForAsync(() => Browser.FindOrNull(".status-machine[data-machine='far'][data-health='offline']"), OfflineWithin, "the status bar to show far offline");
        await Browser.WaitForAsync(() => Browser.FindOrNull($"article.turn[data-turn-id='{turn}'] .turn-unreachable"), Browser.PageTimeout, "the turn to say its machine is unreachable");
        await fixture.Far.StartAgainAsync();

        // The CLI died with its konsole (a crash: nothing was written at the end): konsole closes the turn when it starts
        // again, and Konui reads that end after the last event it had, instead of giving the turn up.
        var ended = await page.WaitForEndAsync(turn);
        Assert.Equal("failed", ended.State);
        Assert.Contains("interrupted: konsole restarted", ended.Result, StringComparison.Ordinal);
        Assert.DoesNotContain("lost", ended.Result, StringComparison.Ordinal);
        Assert.StartsWith(beforeStop, ended.Answer, StringComparison.Ordinal);
        Assert.StartsWith(ended.Answer, SeveralKonsolesFixture.SlowAnswer, StringComparison.Ordinal);
        await Browser.WaitForAsync(() => Browser.FindOrNull(".status-machine[data-machine='far'][data-health='online']"), Browser.PageTimeout, "far back online");
    }

    [Fact]
    public async Task The_far_konsoles_token_is_on_no_page_and_in_no_log()
    {
        var page = new DashboardPage(Browser, fixture.Konui.BaseUrl);
        Browser.Driver.Navigate().GoToUrl(fixture.Konui.BaseUrl + "/?new=true&machine=far");
        await page.WaitForLiveAsync();
        var turn = await page.SendAsync("Say hello from far");
        Assert.Equal("ok", (await page.WaitForEndAsync(turn)).State);
        var session = page.SessionId!;

        var pages = new (string Path, string Shown)[]
        {
            ($"/?session={session}", ".dashboard[data-interactive='true'] .status-machine"),
            ("/sessions", $".session-row[data-session-id='{session}']"),
            ($"/sessions/{session}", ".session-turn"),
            ("/telemetry?machine=far", ".telemetry-machine"),
            ("/reports?machine=far", ".reports-title"),
            ("/settings", ".settings-machine"),
            ("/logs", "h1"),
            ("/kontasks", "h1"),
        };
        foreach (var (path, shown) in pages)
        {
            await Browser.OpenAsync(fixture.Konui.BaseUrl + path);
            await Browser.WaitForAsync(() => Browser.FindOrNull(shown), Browser.PageTimeout, $"{path} to show {shown}");
            Assert.DoesNotContain(fixture.FarToken, Browser.Driver.PageSource, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(fixture.Konui.Output, line => line.Contains(fixture.FarToken, StringComparison.Ordinal));
        foreach (var log in Directory.EnumerateFiles(fixture.Konui.DataDir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(fixture.FarToken, await File.ReadAllTextAsync(log), StringComparison.Ordinal);
        }
    }
}
