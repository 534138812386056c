using Konui.Testing;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>Two tabs on one console session show the same conversation, live, whichever tab the prompt came from.</summary>
[Collection(DashboardCollection.Name)]
public sealed class TwoTabsTests
{
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public TwoTabsTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task A_prompt_sent_in_one_tab_streams_live_into_the_other_and_both_end_the_same()
    {
        var answer = Words.Numbered("step", 30);
        _konui.Konui.Model.SetScript(request => request.LastUserText.Contains("Plan the release", StringComparison.Ordinal)
            ? ModelReply.Text(answer, chunks: 30, delayBetweenChunks: TimeSpan.FromMilliseconds(100))
            : ModelReply.Text("Ready when you are."));
        var (sessionId, firstTurn) = await _page.StartSessionAsync("Are you there?");
        await _page.WaitForEndAsync(firstTurn);
        var tabA = _konui.Browser.Driver.CurrentWindowHandle;
        var tabB = await _page.OpenSessionInNewTabAsync(sessionId);
        await Browser.WaitForAsync(() => _page.Turn(firstTurn) is { State: "ok" } turn ? turn : null, TimeSpan.FromSeconds(10), "the first turn in tab B");
        _page.MarkDocument();
        _page.RecordAnswers();

        _konui.Browser.SwitchToTab(tabA);
        var turnId = await _page.SendAsync("Plan the release");
        var inA = await _page.WaitForEndAsync(turnId);
        _konui.Browser.SwitchToTab(tabB);
        var inB = await _page.WaitForEndAsync(turnId, TimeSpan.FromSeconds(10));

        Assert.Equal("ok", inA.State);
        Assert.Equal(answer, inA.Answer);
        Assert.Equal(inA, inB);
        Assert.True(_page.IsSameDocument(), "Tab B was reloaded.");
        var seenInB = _page.RecordedAnswers();
        Assert.True(seenInB.Count(a => a.Streaming && answer.StartsWith(a.Text, StringComparison.Ordinal) && a.Text != answer) >= 2,
            $"Tab B did not show the answer streaming in. Seen:\n{string.Join('\n', seenInB)}");
        var transcriptB = _page.Turns();
        _konui.Browser.SwitchToTab(tabA);
        Assert.Equal(_page.Turns(), transcriptB);
        Assert.Equal(2, transcriptB.Count);
    }
}
