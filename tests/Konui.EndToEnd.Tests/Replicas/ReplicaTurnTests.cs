using Konui.Core.Konsole;
using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Replicas;

/// <summary>Turn events across replicas: a turn A's konsole runs streams live on B's Dashboard, also across a Redis outage.</summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaTurnTests(ReplicasFixture replicas)
{
    private Browser Browser => replicas.Browser;

    [Fact]
    public async Task A_turn_run_by_As_konsole_streams_live_on_Bs_Dashboard()
    {
        await replicas.SignInAsync(replicas.B);
        var answer = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"word{i}"));
        replicas.A.Model.SetScript(_ => ModelReply.Text(answer, chunks: 30, delayBetweenChunks: TimeSpan.FromMilliseconds(150)));

        var accepted = await replicas.A.Konsole.StartTurnAsync(new TurnRequest("Count to thirty on A", null));
        var page = new DashboardPage(Browser, replicas.B.Konui.BaseUrl);
        await page.OpenSessionAsync(accepted.SessionId);

        var streaming = await page.WaitForAnswerStreamingAsync(accepted.TurnId);
        Assert.Equal("Count to thirty on A", streaming.Prompt);
        var ended = await page.WaitForEndAsync(accepted.TurnId);
        Assert.Equal("ok", ended.State);
        Assert.Equal(answer, ended.Answer);

        // B's status bar names the replica it is and the one it heard from (A announces its konsole every 5 s).
        Assert.Equal("replica b", Browser.FindOrNull(".status-redis")?.Text);
        await Browser.WaitForAsync(() => Browser.FindOrNull(".status-redis")?.GetAttribute("title") is "Sharing through Redis with a" ? "heard" : null,
            TimeSpan.FromSeconds(15), "B's status bar to name replica a");
    }

    [Fact]
    public async Task Redis_stopped_for_ten_seconds_mid_turn_loses_nothing_on_either_replica()
    {
        await replicas.SignInAsync(replicas.B);
        var answer = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"step{i}"));
        replicas.A.Model.SetScript(_ => ModelReply.Text(answer, chunks: 40, delayBetweenChunks: TimeSpan.FromMilliseconds(400)));

        var accepted = await replicas.A.Konsole.StartTurnAsync(new TurnRequest("Walk forty steps on A", null));
        var page = new DashboardPage(Browser, replicas.B.Konui.BaseUrl);
        await page.OpenSessionAsync(accepted.SessionId);
        await page.WaitForAnswerStreamingAsync(accepted.TurnId);

        await replicas.Redis.StopAsync();
        try
        {
            await Browser.WaitForAsync(() => Browser.FindOrNull(".status-redis")?.Text is { } text && text.StartsWith("Redis unreachable since", StringComparison.Ordinal) ? text : null,
                TimeSpan.FromSeconds(10), "B's status bar to say Redis is unreachable");
            var kontaskTitle = "Made on A while Redis was away " + Guid.NewGuid().ToString("N")[..6];
            var kontaskId = await KonuiMcp.CreateKontaskAsync(replicas.A.Konui, new() { ["title"] = kontaskTitle, ["status"] = "ready" }, ReplicasFixture.Token);
            await Task.Delay(TimeSpan.FromSeconds(10));
            Assert.Equal("running", page.Turn(accepted.TurnId)?.State);
            await replicas.Redis.StartAgainAsync();

            var ended = await page.WaitForEndAsync(accepted.TurnId);
            Assert.Equal("ok", ended.State);
            Assert.Equal(answer, ended.Answer);
            var onA = await replicas.A.ReadAllAsync(accepted.TurnId);
            Assert.True(onA[^1].IsTerminal);
            await Browser.WaitForAsync(() => Browser.FindOrNull(".status-redis")?.Text is "replica b" ? "back" : null, TimeSpan.FromSeconds(10),
                "B's status bar to stop saying Redis is unreachable");

            await Browser.OpenAsync(replicas.B.Konui.BaseUrl + KontasksPage.Path);
            Assert.Equal(kontaskId, await KontasksPage.WaitForRowAsync(Browser, kontaskTitle, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await replicas.Redis.StartAgainAsync();
        }
    }
}
