using System.Globalization;
using System.Text.RegularExpressions;
using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>The status bar tells the truth: a running clock while Claude works, then the last turn's duration and cost.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class StatusBarTests
{
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public StatusBarTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task While_a_turn_runs_its_clock_ticks_and_afterwards_it_shows_idle_with_the_turns_duration_and_cost()
    {
        _konui.Konui.Model.SetScript(_ => ModelReply.Text(Words.Numbered("tick", 50), chunks: 50, delayBetweenChunks: TimeSpan.FromMilliseconds(100)));
        var (sessionId, turnId) = await _page.StartSessionAsync("Take your time");
        await _page.WaitForAnswerStreamingAsync(turnId);

        var first = TurnStatus();
        Assert.Equal("running", first.State);
        // The next tick, while the turn still runs; waited for rather than slept on, since a loaded machine renders late.
        await Browser.WaitForAsync(() => TurnStatus() is { State: "running" } now && Elapsed(now.Text) > Elapsed(first.Text) ? now.Text : null,
            TimeSpan.FromSeconds(10), $"the clock to tick past \"{first.Text}\" while the turn runs");
        Assert.Equal($"session {sessionId[..8]}", _konui.Browser.Driver.FindElement(By.CssSelector(".status-bar .status-session")).Text);

        Assert.Equal("ok", (await _page.WaitForEndAsync(turnId)).State);
        var idle = await Browser.WaitForAsync(() => TurnStatus() is { State: "idle" } status ? status.Text : null, TimeSpan.FromSeconds(5), "the status bar to say Idle");
        Assert.Equal("Idle", idle);
        var ended = (await _konui.Konui.Konsole.GetSessionTurnsAsync(sessionId)).Single(t => t.TurnId == turnId);
        var totalMs = ended.Timing!.TotalMs!.Value;
        var duration = (totalMs / 1000).ToString(totalMs < 10_000 ? "0.0" : "0", CultureInfo.InvariantCulture) + " s"; // tenths below 10 s
        var cost = "$" + ended.CostUsd!.Value.ToString("0.0000", CultureInfo.InvariantCulture);
        Assert.Equal($"last: {duration} · {cost}", _konui.Browser.Driver.FindElement(By.CssSelector(".status-bar .status-last")).Text);
        Assert.Equal($"session {sessionId[..8]}", _konui.Browser.Driver.FindElement(By.CssSelector(".status-bar .status-session")).Text);
    }

    private (string State, string Text) TurnStatus()
    {
        var status = _konui.Browser.Driver.FindElement(By.CssSelector(".status-bar .status-turn"));
        return (status.GetAttribute("data-state") ?? "", status.Text);
    }

    private static TimeSpan Elapsed(string text) =>
        RunningClock().Match(text) is { Success: true } match
            ? TimeSpan.FromMinutes(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) + TimeSpan.FromSeconds(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : throw new Xunit.Sdk.XunitException($"The status bar says \"{text}\", not \"Running m:ss\".");

    [GeneratedRegex(@"^Running (\d+):(\d\d)$")]
    private static partial Regex RunningClock();
}
