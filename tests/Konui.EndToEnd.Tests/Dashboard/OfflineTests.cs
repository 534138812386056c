using System.Diagnostics;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>The browser loses the network mid-turn and gets it back: the page says so at once, then catches up.</summary>
[Collection(DashboardCollection.Name)]
public sealed class OfflineTests
{
    private static readonly TimeSpan OfflineFor = TimeSpan.FromSeconds(10);
    private readonly DashboardFixture _konui;

    public OfflineTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
    }

    [Fact]
    public async Task Ten_seconds_offline_mid_turn_then_the_page_reconnects_and_shows_the_whole_answer()
    {
        var answer = Words.Numbered("offline", 80);
        _konui.Konui.Model.SetScript(_ => ModelReply.Text(answer, chunks: 80, delayBetweenChunks: TimeSpan.FromMilliseconds(100)));
        await using var network = NetworkLink.To(_konui.Konui.Konui.Port);
        var page = new DashboardPage(_konui.Browser, network.BaseUrl);
        var (_, turnId) = await page.StartSessionAsync("Count to eighty slowly");
        await page.WaitForAnswerStreamingAsync(turnId, characters: 20);

        // The browser goes offline (navigator.onLine is false, new requests fail) and its open connections drop.
        _konui.Browser.SetOffline(true);
        network.Cut();
        var offline = Stopwatch.StartNew();
        await Browser.WaitForAsync(() => page.Connection == "offline" ? "offline" : null,
            TimeSpan.FromSeconds(5), "the page to say it is offline");
        Assert.True(_konui.Browser.Run("return document.querySelector('[data-konui-send]').disabled;") is true, "Send is enabled while offline.");
        Assert.True(_konui.Browser.Run("return document.querySelector('[data-konui-stop]').disabled;") is true, "Stop is enabled while offline.");
        Assert.True(_konui.Browser.Run("return document.querySelector('.prompt-box textarea').disabled;") is true, "The prompt box takes input while offline.");
        var shownWhenCut = page.Turn(turnId)!.Answer;
        while (offline.Elapsed < OfflineFor)
        {
            Assert.Equal("offline", page.Connection);
            await Task.Delay(250);
        }
        // The turn streamed on (it ends about 8 s after it started), but nothing of it reached the page.
        Assert.Equal(shownWhenCut, page.Turn(turnId)!.Answer);
        Assert.NotEqual(answer, shownWhenCut);

        network.Restore();
        _konui.Browser.SetOffline(false);
        await Browser.WaitForAsync(() => page.Connection == "connected" ? "connected" : null, TimeSpan.FromSeconds(20),
            "the page to reconnect");
        var turn = await page.WaitForEndAsync(turnId, TimeSpan.FromSeconds(10));

        Assert.Equal("ok", turn.State);
        Assert.Equal(answer, turn.Answer);
        Assert.NotNull(_konui.Browser.FindOrNull($"article.turn[data-turn-id='{turnId}'] .turn-result.ok"));
        Assert.Equal("connected", page.Connection);
        Assert.True(_konui.Browser.Run("return document.querySelector('.prompt-box textarea').disabled;") is false, "The prompt box stays disabled after reconnecting.");
    }

    [Fact]
    public async Task A_device_that_goes_offline_says_so_at_once_though_its_connection_has_not_dropped_and_carries_on_when_back()
    {
        var answer = Words.Numbered("pocket", 60);
        _konui.Konui.Model.SetScript(_ => ModelReply.Text(answer, chunks: 60, delayBetweenChunks: TimeSpan.FromMilliseconds(100)));
        var page = new DashboardPage(_konui.Browser, _konui.BaseUrl);
        var (_, turnId) = await page.StartSessionAsync("Count to sixty slowly");
        await page.WaitForAnswerStreamingAsync(turnId, characters: 20);

        // Only the browser's word: no connection is cut, so Blazor has nothing to notice.
        _konui.Browser.SetOffline(true);
        var offline = Stopwatch.StartNew();
        await Browser.WaitForAsync(() => page.Connection == "offline" ? "offline" : null, TimeSpan.FromSeconds(2), "the page to say it is offline");
        Console.WriteLine($"The page said offline {offline.ElapsedMilliseconds} ms after the device went offline.");
        Assert.True(_konui.Browser.Run("return document.querySelector('[data-konui-send]').disabled;") is true, "Send is enabled while offline.");
        Assert.Equal("Offline", _konui.Browser.Run("return document.querySelector('.status-connection').innerText.trim();"));

        _konui.Browser.SetOffline(false);
        await Browser.WaitForAsync(() => page.Connection == "connected" ? "connected" : null, TimeSpan.FromSeconds(20), "the page to be connected again");
        var turn = await page.WaitForEndAsync(turnId, TimeSpan.FromSeconds(20));

        Assert.Equal("ok", turn.State);
        Assert.Equal(answer, turn.Answer);
        Assert.Equal("connected", page.Connection);
    }
}
