using System.Globalization;
using System.Text.Json;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>
/// The transcript follows a long answer as it streams while the reader is at the bottom; once they scroll up it stays
/// where they are and offers "Jump to latest", which takes them back to following.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FollowingTests
{
    // How far from the bottom the transcript is scrolled, in pixels, and whether the jump button shows.
    private const string ReadPosition = """
        const s = document.querySelector('.transcript');
        const jump = document.querySelector('.transcript-jump');
        return JSON.stringify({ fromBottom: s.scrollHeight - s.scrollTop - s.clientHeight, top: s.scrollTop, overflow: s.scrollHeight - s.clientHeight, jump: !jump.hidden });
        """;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public FollowingTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task A_long_answer_keeps_the_newest_words_in_view_until_the_reader_scrolls_up_and_jump_to_latest_follows_again()
    {
        var answer = string.Join("\n\n", Enumerable.Range(1, 60).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"Paragraph {i}: the migration moved table {i} to the new schema and checked its row counts.")));
        _konui.Konui.Model.SetScript(_ => ModelReply.Text(answer, chunks: 60, delayBetweenChunks: TimeSpan.FromMilliseconds(150)));
        await _page.OpenNewSessionAsync();

        var turnId = await _page.SendAsync("Summarise the migration, table by table.");
        await _page.WaitForAnswerStreamingAsync(turnId, characters: answer.Length / 4);
        var following = await Browser.WaitForAsync(() => Position() is { Overflow: > 200, FromBottom: < 2 } p ? p : null,
            TimeSpan.FromSeconds(10), "the transcript to overflow and show its bottom");
        Assert.False(following.Jump, "Jump to latest shows while the transcript follows the answer.");

        _page.Browser.Run("document.querySelector('.transcript').scrollTop = 0;");
        await Browser.WaitForAsync(() => Position() is { Jump: true } p ? p : null, TimeSpan.FromSeconds(5), "Jump to latest after scrolling up");
        var before = _page.Turn(turnId)!.Answer.Length;
        await _page.WaitForAnswerStreamingAsync(turnId, characters: before + 200);
        await Task.Delay(300);
        var readingUp = Position();
        Assert.True(readingUp.Top == 0, $"New words moved the transcript while the reader was scrolled up: it is at {readingUp.Top} px.");
        Assert.True(readingUp.Jump, "Jump to latest went away while the reader was scrolled up.");

        _page.Browser.FindOrNull(".transcript-jump")!.Click();
        await _page.WaitForEndAsync(turnId);
        var end = await Browser.WaitForAsync(() => Position() is { FromBottom: < 2 } p ? p : null, TimeSpan.FromSeconds(5), "the transcript at its bottom again");
        Assert.False(end.Jump, "Jump to latest still shows after jumping.");
        Assert.Contains("Paragraph 60:", _page.Browser.Run<string>("return document.querySelector('.transcript').textContent;"), StringComparison.Ordinal);
    }

    private ScrollPosition Position() =>
        JsonSerializer.Deserialize<ScrollPosition>(_page.Browser.Run<string>(ReadPosition), JsonOptions)!;

    private sealed record ScrollPosition(double FromBottom, double Top, double Overflow, bool Jump);
}
