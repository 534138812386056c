using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Decisions;

public sealed class StandaloneDecisionTests
{
    [Fact]
    public async Task A_standalone_konsole_keeps_a_pending_decision_for_a_client_that_reconnects_and_takes_its_answer()
    {
        await using var model = await ScriptedModelApi.StartAsync(request => request.HasToolResult ? ScriptedModelApi.Echo(request) : ModelReply.Bash("echo kept > kept.txt"));
        using var folder = new ScratchFolder("konsole-home");
        var home = folder.Path;
        var settings = Konui.Testing.ClaudeCli.KonsoleSettings(model.BaseUrl, home, home);
        await using var konsole = await KonuiProcess.StartKonsoleAsync(settings);
        string turnId;
        DecisionRequest asked;
        using (var before = new HttpClient { BaseAddress = new Uri(konsole.BaseUrl + "/") })
        {
            var client = new KonsoleClient(before);
            turnId = (await client.StartTurnAsync(new TurnRequest("Keep it"))).TurnId;
            await using var watch = TurnWatch.Start(client, turnId);
            asked = await watch.WaitForAsync<DecisionRequest>();
        }

        using var after = new HttpClient { BaseAddress = new Uri(konsole.BaseUrl + "/") };
        var again = new KonsoleClient(after);
        var waiting = Assert.Single((await again.GetStatusAsync()).ActiveTurns, t => t.TurnId == turnId);
        Assert.True(waiting.Waiting);
        Assert.Equal(asked.DecisionId, Assert.Single(waiting.PendingDecisions!).DecisionId);
        var replayed = new List<TurnEvent>();
        using (var cut = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await foreach (var e in again.ReadEventsAsync(turnId, cancellationToken: cut.Token)) replayed.Add(e);
            }
            catch (OperationCanceledException)
            {
            }
        }
        Assert.Equal(asked.DecisionId, replayed.OfType<DecisionRequest>().Single().DecisionId);
        Assert.Empty(replayed.OfType<DecisionResult>());
        Assert.False(File.Exists(Path.Combine(home, "kept.txt")));

        await using var watchAgain = TurnWatch.Start(again, turnId);
        await again.AnswerDecisionAsync(turnId, asked.DecisionId, new DecisionAnswer("allow", Client: "the phone"));
        var events = await watchAgain.EndAsync();

        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        Assert.Equal("the phone", events.OfType<DecisionResult>().Single().By);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(home, "kept.txt")).Trim());
        await konsole.StopAsync();
    }
}
