using Konui.Testing;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>Claude's answer shows up as it is written, not all at once at the end.</summary>
[Collection(DashboardCollection.Name)]
public sealed class StreamingTests
{
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public StreamingTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task An_answer_streamed_in_twenty_pieces_shows_up_piece_by_piece_and_ends_as_the_models_exact_text()
    {
        const string answer = "The nightly build passed on all three platforms, the flaky upload test was quarantined, "
            + "and the release notes for version 4.2 are drafted in the docs folder, waiting for your review before Friday.";
        _konui.Konui.Model.SetScript(_ => ModelReply.Text(answer, chunks: 20, delayBetweenChunks: TimeSpan.FromMilliseconds(100)));
        await _page.OpenNewSessionAsync();
        _page.RecordAnswers();

        var turnId = await _page.SendAsync("How did the nightly build go?");
        var turn = await _page.WaitForEndAsync(turnId);

        Assert.Equal("ok", turn.State);
        Assert.Equal(answer, turn.Answer);
        var shown = _page.RecordedAnswers();
        Assert.Equal(answer, shown[^1].Text);
        Assert.False(shown[^1].Streaming, "The finished answer is still marked as streaming.");
        var partial = shown.Where(s => s.Text != answer).ToList();
        Assert.True(partial.Count >= 3,
            $"The answer showed in {partial.Count} partial states before the whole of it; expected at least 3. Seen:\n{string.Join('\n', shown)}");
        for (var i = 0; i < partial.Count; i++)
        {
            Assert.True(answer.StartsWith(partial[i].Text, StringComparison.Ordinal), $"Partial state {i} is not a beginning of the answer: \"{partial[i].Text}\"");
            Assert.True(i == 0 || partial[i].Text.Length > partial[i - 1].Text.Length, $"Partial state {i} did not grow: \"{partial[i].Text}\"");
        }
        Assert.True(partial.Count(p => p.Streaming) >= 3, $"Fewer than 3 partial states were marked as streaming. Seen:\n{string.Join('\n', shown)}");
    }
}
