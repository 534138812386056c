using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Decisions;

/// <summary>"Allow for this session": what it lets run without asking, how it is listed, and how it is taken back.</summary>
public sealed class SessionRuleTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    [Fact]
    public async Task Allowed_for_the_session_the_next_identical_call_runs_without_asking_until_the_rule_is_revoked()
    {
        const string command = "sh -c 'echo hi'";
        Rig.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request) : ModelReply.Bash(command, "Say hi"));
        var first = await Rig.Konsole.StartTurnAsync(new TurnRequest("Say hi"));
        await AnswerAsync(first.TurnId, new DecisionAnswer("allow", Remember: "session", Client: "test"));

        var rules = (await Rig.Konsole.GetSessionAsync(first.SessionId)).Rules;
        var rule = Assert.Single(rules, r => r.Kind == SessionRule.RuleKind);
        Assert.Equal(("Bash", $"Bash({command})"), (rule.ToolName, rule.Rule));
        var call = Assert.Single(rules, r => r.Kind == SessionRule.CallKind);
        Assert.Equal(command, call.Input!.Value.GetProperty("command").GetString());
        var sent = (await Rig.ReadAllAsync(first.TurnId)).OfType<DecisionResult>().Single();
        Assert.All(sent.UpdatedPermissions!.Value.EnumerateArray(), p => Assert.Equal("session", p.GetProperty("destination").GetString()));

        var (_, again) = await Rig.RunAsync("Say hi again", first.SessionId);
        Assert.Empty(again.OfType<DecisionRequest>());
        Assert.False(again.OfType<ToolResult>().Single().IsError);

        var revoked = await Rig.Konsole.RevokeRuleAsync(first.SessionId, rule.RuleId);
        Assert.Equal(SessionChange.Now, revoked.Applied);
        Assert.DoesNotContain(revoked.Session.Rules, r => r.RuleId == rule.RuleId);
        await Rig.Konsole.RevokeRuleAsync(first.SessionId, call.RuleId);
        var third = await Rig.Konsole.StartTurnAsync(new TurnRequest("And once more", first.SessionId));
        var events = await AnswerAsync(third.TurnId, new DecisionAnswer("deny", "Not any more."));
        Assert.True(events.OfType<ToolResult>().Single().IsError);
        Assert.Contains(Rig.Konui.Output, l => l.Contains($"session {first.SessionId}, resuming it", StringComparison.Ordinal));
        var gone = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.RevokeRuleAsync(first.SessionId, rule.RuleId));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task A_call_claude_codes_own_rules_miss_is_allowed_by_konsole_on_the_record()
    {
        const string command = "echo approved > approved.txt";
        Rig.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request) : ModelReply.Bash(command, "Write a marker file"));
        var first = await Rig.Konsole.StartTurnAsync(new TurnRequest("Approve it"));
        await AnswerAsync(first.TurnId, new DecisionAnswer("allow", Remember: "session"));

        var (_, again) = await Rig.RunAsync("Approve it again", first.SessionId);

        var asked = again.OfType<DecisionRequest>().Single();
        var allowed = again.OfType<DecisionResult>().Single();
        Assert.Equal((asked.DecisionId, DecisionOutcome.Allowed, "konsole", "allowed for this session"), (allowed.DecisionId, allowed.Outcome, allowed.By, allowed.Reason));
        Assert.False(again.OfType<ToolResult>().Single().IsError);
        Assert.True(Assert.IsType<TurnEnd>(again[^1]).Success);
    }

    /// <summary>Starts reading the turn, answers its first decision, and returns the turn's events once it has ended.</summary>
    private async Task<IReadOnlyList<TurnEvent>> AnswerAsync(string turnId, DecisionAnswer answer)
    {
        await using var watch = TurnWatch.Start(Rig.Konsole, turnId);
        var asked = await watch.WaitForAsync<DecisionRequest>();
        await Rig.Konsole.AnswerDecisionAsync(turnId, asked.DecisionId, answer);
        return await watch.EndAsync();
    }
}
