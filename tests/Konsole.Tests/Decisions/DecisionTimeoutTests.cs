using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Decisions;

public sealed class DecisionTimeoutTests
{
    [Fact]
    public async Task A_decision_nobody_answers_within_the_timeout_is_denied_and_the_turn_goes_on()
    {
        await using var rig = await KonuiWithClaude.StartAsync(settings: new Dictionary<string, string> { ["Konsole__DecisionTimeout"] = "00:00:02" });
        rig.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request) : ModelReply.Bash("echo late > late.txt"));
        var turn = await rig.Konsole.StartTurnAsync(new TurnRequest("Nobody is watching"));
        await using var watch = TurnWatch.Start(rig.Konsole, turn.TurnId);
        var asked = await watch.WaitForAsync<DecisionRequest>();

        var result = await watch.WaitForAsync<DecisionResult>(timeout: TimeSpan.FromSeconds(30));

        Assert.Equal((asked.DecisionId, DecisionOutcome.Denied, "konsole", "timed out"), (result.DecisionId, result.Outcome, result.By, result.Reason));
        Assert.InRange(result.At - asked.At, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        var events = await watch.EndAsync();
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        var toolResult = events.OfType<ToolResult>().Single();
        Assert.True(toolResult.IsError);
        Assert.Contains("Nobody answered within 00:00:02", toolResult.Content, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(rig.Home, "work", "late.txt")));
        var late = await Assert.ThrowsAsync<DecisionException>(() => rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer("allow")));
        Assert.Contains("already denied by konsole", late.Message, StringComparison.Ordinal);
        Assert.Contains("(timed out)", late.Message, StringComparison.Ordinal);
    }
}
