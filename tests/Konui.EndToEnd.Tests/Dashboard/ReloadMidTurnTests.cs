using Konui.Testing;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>Reloading a tab in the middle of a turn loses nothing: it comes back to the same conversation as a tab that stayed.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ReloadMidTurnTests
{
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public ReloadMidTurnTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task A_tab_reloaded_mid_turn_ends_with_the_same_transcript_as_a_tab_that_was_not()
    {
        var answer = Words.Numbered("entry", 80);
        _konui.Konui.Model.SetScript(request => request.LastUserText.Contains("Write the changelog", StringComparison.Ordinal)
            ? ModelReply.Text(answer, chunks: 80, delayBetweenChunks: TimeSpan.FromMilliseconds(100))
            : ModelReply.Text("Ready when you are."));
        var (sessionId, firstTurn) = await _page.StartSessionAsync("Are you there?");
        await _page.WaitForEndAsync(firstTurn);
        var tabA = _konui.Browser.Driver.CurrentWindowHandle;
        var tabB = await _page.OpenSessionInNewTabAsync(sessionId);
        await Browser.WaitForAsync(() => _page.Turn(firstTurn) is { State: "ok" } turn ? turn : null, TimeSpan.FromSeconds(10), "the first turn in tab B");
        _konui.Browser.SwitchToTab(tabA);
        var turnId = await _page.SendAsync("Write the changelog");
        var beforeReload = await _page.WaitForAnswerStreamingAsync(turnId, characters: 30);

        await _konui.Browser.ReloadAsync();
        await _page.WaitForLiveAsync();
        _page.RecordAnswers();

        // Back mid-turn: the turn shows as running, with at least what was shown before the reload, and goes on streaming.
        var afterReload = await Browser.WaitForAsync(() => _page.Turn(turnId), TimeSpan.FromSeconds(10), "the running turn after the reload");
        Assert.Equal("running", afterReload.State);
        Assert.StartsWith(beforeReload.Answer, afterReload.Answer, StringComparison.Ordinal);
        var inA = await _page.WaitForEndAsync(turnId);
        Assert.True(_page.RecordedAnswers().Count(a => a.Streaming) >= 2,
            $"After the reload the answer did not stream in. Seen:\n{string.Join('\n', _page.RecordedAnswers())}");
        var transcriptA = _page.Turns();
        _konui.Browser.SwitchToTab(tabB);
        await _page.WaitForEndAsync(turnId, TimeSpan.FromSeconds(10));
        var transcriptB = _page.Turns();

        Assert.Equal("ok", inA.State);
        Assert.Equal(answer, inA.Answer);
        Assert.Equal(2, transcriptB.Count);
        Assert.Equal(transcriptB, transcriptA);
    }
}
