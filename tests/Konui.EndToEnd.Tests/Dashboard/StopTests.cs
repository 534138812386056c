using System.Diagnostics;
using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>Stop (the button, or Esc in the prompt box) ends a running turn at once, and the session takes the next prompt.</summary>
[Collection(DashboardCollection.Name)]
public sealed class StopTests
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(2);
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;
    private readonly string _story = Words.Numbered("once", 100);

    public StopTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
        konui.Konui.Model.SetScript(request => request.LastUserText.Contains("long story", StringComparison.Ordinal)
            ? ModelReply.Text(_story, chunks: 100, delayBetweenChunks: TimeSpan.FromMilliseconds(100))
            : ModelReply.Text("Short answer."));
    }

    [Fact]
    public async Task Stop_ends_a_long_turn_within_two_seconds_and_the_next_prompt_gets_its_answer()
    {
        var (_, turnId) = await _page.StartSessionAsync("Tell me a long story");
        await _page.WaitForAnswerStreamingAsync(turnId, characters: 20);

        var stopped = await StopAsync(turnId, () => _konui.Browser.Driver.FindElement(By.CssSelector("[data-konui-stop]")).Click());

        var next = await _page.WaitForEndAsync(await _page.SendAsync("And now a short one"));
        Assert.Equal("ok", next.State);
        Assert.Equal("Short answer.", next.Answer);
        Assert.Equal(stopped, _page.Turn(turnId));
    }

    [Fact]
    public async Task Esc_in_the_prompt_box_stops_the_running_turn()
    {
        var (_, turnId) = await _page.StartSessionAsync("Tell me a long story");
        await _page.WaitForAnswerStreamingAsync(turnId, characters: 20);

        await StopAsync(turnId, () => _page.PromptBox.SendKeys(Keys.Escape));

        var next = await _page.WaitForEndAsync(await _page.SendAsync("And now a short one"));
        Assert.Equal("ok", next.State);
    }

    private async Task<ShownTurn> StopAsync(string turnId, Action stop)
    {
        var clock = Stopwatch.StartNew();
        stop();
        var turn = await _page.WaitForEndAsync(turnId, TimeSpan.FromSeconds(15));
        var took = clock.Elapsed;

        Assert.True(took < StopLimit, $"The turn took {took.TotalSeconds:0.0} s to end after Stop.");
        Assert.Equal("failed", turn.State);
        Assert.StartsWith("✗ stopped by user", turn.Result, StringComparison.Ordinal);
        Assert.StartsWith(turn.Answer, _story, StringComparison.Ordinal);
        Assert.NotEqual(_story, turn.Answer);
        Assert.Null(_konui.Browser.FindOrNull("[data-konui-stop]"));
        return turn;
    }
}
