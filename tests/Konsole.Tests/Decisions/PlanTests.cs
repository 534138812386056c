using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Decisions;

/// <summary>Plan mode through konsole: the model writes its plan, asks to leave plan mode, and the user approves or keeps planning.</summary>
public sealed class PlanTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private const string Plan = "# Plan: add the parser\n\n1. Write the parser\n2. Test the parser\n";

    private KonuiWithClaude Rig => fixture.Rig;

    [Fact]
    public async Task A_plan_rejected_with_feedback_stays_in_plan_mode_and_approved_it_continues_in_the_chosen_mode()
    {
        Rig.Model.SetScript(_ => ModelReply.Text("Ready to plan."));
        var (first, _) = await Rig.RunAsync("Let us plan");
        var planning = await Rig.Konsole.SetPermissionModeAsync(first.SessionId, PermissionModes.Plan);
        Assert.Equal((PermissionModes.Plan, SessionChange.Now), (planning.Session.PermissionMode, planning.Applied));
        Rig.Model.SetScript(request => request.ToolResult switch
        {
            null when request.PlanFilePath is { } path => ModelReply.Write(path, Plan),
            { Content: var written } when written.Contains("File created successfully", StringComparison.Ordinal)
                || written.Contains("updated successfully", StringComparison.Ordinal) => ModelReply.ExitPlanMode(),
            _ => ScriptedModelApi.Echo(request),
        });

        var rejected = await Rig.Konsole.StartTurnAsync(new TurnRequest("Plan the parser", first.SessionId));
        var (asked, events) = await AnswerAsync(rejected.TurnId, new DecisionAnswer("deny", "Add a step for the docs."));

        Assert.Equal(DecisionRequest.ExitPlanModeTool, asked.ToolName);
        Assert.Equal(Plan, asked.Input!.Value.GetProperty("plan").GetString());
        var kept = events.OfType<ToolResult>().Last();
        Assert.True(kept.IsError);
        Assert.Contains("Add a step for the docs.", kept.Content, StringComparison.Ordinal);
        Assert.Equal(PermissionModes.Plan, (await Rig.Konsole.GetSessionAsync(first.SessionId)).PermissionMode);

        var approved = await Rig.Konsole.StartTurnAsync(new TurnRequest("Plan the parser again", first.SessionId));
        var (again, done) = await AnswerAsync(approved.TurnId, new DecisionAnswer("allow", Mode: PermissionModes.AcceptEdits, Client: "test"));

        Assert.Equal(DecisionRequest.ExitPlanModeTool, again.ToolName);
        var result = done.OfType<DecisionResult>().Single();
        Assert.Equal(DecisionOutcome.Allowed, result.Outcome);
        Assert.Contains("User has approved your plan", done.OfType<ToolResult>().Last().Content, StringComparison.Ordinal);
        Assert.True(Assert.IsType<TurnEnd>(done[^1]).Success);
        Assert.Equal(PermissionModes.AcceptEdits, (await Rig.Konsole.GetSessionAsync(first.SessionId)).PermissionMode);
        var (_, next) = await Rig.RunAsync("What mode now?", first.SessionId);
        Assert.Equal(PermissionModes.AcceptEdits, next.OfType<TurnInit>().Single().PermissionMode);
    }

    private async Task<(DecisionRequest Asked, IReadOnlyList<TurnEvent> Events)> AnswerAsync(string turnId, DecisionAnswer answer)
    {
        await using var watch = TurnWatch.Start(Rig.Konsole, turnId);
        var asked = await watch.WaitForAsync<DecisionRequest>();
        await Rig.Konsole.AnswerDecisionAsync(turnId, asked.DecisionId, answer);
        return (asked, await watch.EndAsync());
    }
}
