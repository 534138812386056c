using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Decisions;

/// <summary>Claude asks, the user decides: the real CLI's tool approvals through konsole's decisions.</summary>
public sealed class DecisionTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    private string Work => Path.Combine(Rig.Home, "work");

    [Fact]
    public async Task Allow_runs_the_command_and_the_turn_waits_for_you_until_then()
    {
        Rig.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request) : ModelReply.Bash("echo allowed > allowed.txt", "Write a marker file"));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Make the marker"));
        await using var watch = TurnWatch.Start(Rig.Konsole, turn.TurnId);

        var asked = await watch.WaitForAsync<DecisionRequest>();
        Assert.StartsWith("dec_", asked.DecisionId, StringComparison.Ordinal);
        Assert.Equal(("Bash", "Write a marker file"), (asked.ToolName, asked.Description));
        Assert.Equal("echo allowed > allowed.txt", asked.Input!.Value.GetProperty("command").GetString());
        Assert.Equal(watch.Events.OfType<AssistantBlock>().Single(b => b.BlockType == "tool_use").ToolUseId, asked.ToolUseId);
        Assert.NotNull(asked.PermissionSuggestions);
        Assert.False(File.Exists(Path.Combine(Work, "allowed.txt")), "nothing runs before the user decides");

        var summary = await Rig.Konsole.GetTurnAsync(turn.TurnId);
        Assert.True(summary.Waiting);
        Assert.Equal((asked.DecisionId, "Bash", asked.ToolUseId), (summary.PendingDecisions![0].DecisionId, summary.PendingDecisions[0].ToolName, summary.PendingDecisions[0].ToolUseId));
        Assert.Contains((await Rig.Konsole.GetStatusAsync()).ActiveTurns, t => t.TurnId == turn.TurnId && t.Waiting);
        Assert.True((await Rig.Konsole.GetSessionsAsync()).Single(s => s.SessionId == turn.SessionId).Waiting);
        Assert.Equal([asked.DecisionId], (await Rig.Konsole.GetSessionAsync(turn.SessionId)).PendingDecisions.Select(d => d.DecisionId));

        var result = await Rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer("allow", Client: "Dashboard tab on a phone"));

        Assert.Equal((DecisionOutcome.Allowed, "allow", "Dashboard tab on a phone"), (result.Outcome, result.Behavior, result.By));
        var events = await watch.EndAsync();
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        var recorded = events.OfType<DecisionResult>().Single();
        Assert.Equal((asked.DecisionId, result.Seq), (recorded.DecisionId, recorded.Seq));
        var toolResult = events.OfType<ToolResult>().Single();
        Assert.False(toolResult.IsError, toolResult.Content);
        Assert.True(events.ToList().IndexOf(recorded) < events.ToList().IndexOf(toolResult), "the answer is on record before the tool's result");
        Assert.Equal("allowed", File.ReadAllText(Path.Combine(Work, "allowed.txt")).Trim());
        Assert.False((await Rig.Konsole.GetTurnAsync(turn.TurnId)).Waiting);
    }

    [Fact]
    public async Task Deny_keeps_the_command_from_running_and_the_model_sees_the_reason()
    {
        Rig.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request) : ModelReply.Bash("echo denied > denied.txt"));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Make the other marker"));
        await using var watch = TurnWatch.Start(Rig.Konsole, turn.TurnId);
        var asked = await watch.WaitForAsync<DecisionRequest>();

        var result = await Rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer("deny", "Not on my machine.", Client: "test"));

        Assert.Equal((DecisionOutcome.Denied, "Not on my machine."), (result.Outcome, result.Message));
        var events = await watch.EndAsync();
        var toolResult = events.OfType<ToolResult>().Single();
        Assert.True(toolResult.IsError);
        Assert.Contains("Not on my machine.", toolResult.Content, StringComparison.Ordinal);
        var told = Rig.Model.Requests[^1].ToolResult!;
        Assert.True(told.IsError);
        Assert.Contains("Not on my machine.", told.Content, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Work, "denied.txt")));
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
    }

    [Fact]
    public async Task A_second_answer_gets_409_saying_how_it_was_decided()
    {
        Rig.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request) : ModelReply.Bash("echo first > first.txt"));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Race two answers"));
        await using var watch = TurnWatch.Start(Rig.Konsole, turn.TurnId);
        var asked = await watch.WaitForAsync<DecisionRequest>();

        var answers = await Task.WhenAll(Enumerable.Range(1, 4).Select(async i =>
        {
            try
            {
                return (Result: await Rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer(i % 2 == 0 ? "allow" : "deny", Client: $"tab {i}")), Refused: (DecisionException?)null);
            }
            catch (DecisionException ex)
            {
                return (Result: (DecisionResult?)null, Refused: ex);
            }
        }));

        var winner = Assert.Single(answers, a => a.Result is not null).Result!;
        Assert.Equal(3, answers.Count(a => a.Refused is not null));
        Assert.All(answers.Where(a => a.Refused is not null), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Refused!.Status);
            Assert.Equal((winner.Outcome, winner.By), (a.Refused.Decided!.Outcome, a.Refused.Decided.By));
            Assert.Contains($"already {(winner.Outcome == DecisionOutcome.Allowed ? "allowed" : "denied")} by {winner.By}", a.Refused.Message, StringComparison.Ordinal);
        });
        var events = await watch.EndAsync();
        Assert.Single(events.OfType<DecisionResult>());
        var late = await Assert.ThrowsAsync<DecisionException>(() => Rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer("allow")));
        Assert.Equal(winner.By, late.Decided!.By);
        var unknown = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.AnswerDecisionAsync(turn.TurnId, "dec_nope", new DecisionAnswer("allow")));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task An_answer_that_does_not_fit_is_refused_with_what_to_send_and_changes_nothing()
    {
        Rig.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request) : ModelReply.Bash("echo fit > fit.txt"));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Answer badly first"));
        await using var watch = TurnWatch.Start(Rig.Konsole, turn.TurnId);
        var asked = await watch.WaitForAsync<DecisionRequest>();
        using var http = new HttpClient { BaseAddress = new Uri(Rig.Konui.BaseUrl + "/") };

        foreach (var (body, says) in new[]
        {
            ("""{"behavior":"maybe"}""", "behavior must be \"allow\" or \"deny\""),
            ("""{"behavior":"allow","remember":"forever"}""", "remember can only be \"session\""),
            ("""{"behavior":"allow","updatedInput":[1]}""", "updatedInput must be a JSON object"),
            ("""{"behavior":"deny","remember":"session"}""", "a denial is not remembered"),
            ("""not json""", "The body must be JSON"),
        })
        {
            using var response = await http.PostAsync($"api/konsole/turns/{turn.TurnId}/decisions/{asked.DecisionId}",
                new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains(says, error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.True((await Rig.Konsole.GetTurnAsync(turn.TurnId)).Waiting);
        await Rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer("allow"));
        Assert.True(Assert.IsType<TurnEnd>((await watch.EndAsync())[^1]).Success);
    }

    [Fact]
    public async Task A_question_is_answered_and_the_answer_reaches_the_model()
    {
        Rig.Model.SetScript(request => request.HasToolResult
            ? ScriptedModelApi.Echo(request)
            : ModelReply.AskUserQuestion("Which database should we use?", "Database", [("SQLite", "One file, no server"), ("PostgreSQL", "A server, more features")]));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Pick a database with me"));
        await using var watch = TurnWatch.Start(Rig.Konsole, turn.TurnId);
        var asked = await watch.WaitForAsync<DecisionRequest>();
        Assert.Equal(DecisionRequest.AskUserQuestionTool, asked.ToolName);

        var refused = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer("allow")));
        Assert.Contains("Answer the questions", refused.Message, StringComparison.Ordinal);
        var answered = JsonNode.Parse(asked.Input!.Value.GetRawText())!.AsObject();
        answered["answers"] = new JsonObject { ["Which database should we use?"] = "PostgreSQL" };
        var result = await Rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId,
            new DecisionAnswer("allow", UpdatedInput: JsonSerializer.SerializeToElement(answered), Client: "test"));

        Assert.Equal(DecisionOutcome.Answered, result.Outcome);
        var events = await watch.EndAsync();
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        var told = Rig.Model.Requests[^1].ToolResult!;
        Assert.False(told.IsError);
        Assert.Contains("\"Which database should we use?\"=\"PostgreSQL\"", told.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_a_turn_that_waits_denies_its_decision_with_interrupt_and_the_session_goes_on()
    {
        Rig.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request)
            : request.LastUserText.EndsWith("again", StringComparison.Ordinal) ? ModelReply.Text("Back.") : ModelReply.Bash("echo stopped > stopped.txt"));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Wait for me"));
        await using var watch = TurnWatch.Start(Rig.Konsole, turn.TurnId);
        var asked = await watch.WaitForAsync<DecisionRequest>();

        await Rig.Konsole.StopTurnAsync(turn.TurnId);

        var events = await watch.EndAsync(TimeSpan.FromSeconds(20));
        var result = events.OfType<DecisionResult>().Single();
        Assert.Equal((asked.DecisionId, DecisionOutcome.Denied, true, "konsole", "stopped"), (result.DecisionId, result.Outcome, result.Interrupt, result.By, result.Reason));
        var end = Assert.IsType<TurnEnd>(events[^1]);
        Assert.False(end.Success);
        Assert.Equal("stopped by user", end.Error);
        Assert.False(File.Exists(Path.Combine(Work, "stopped.txt")));

        var (_, next) = await Rig.RunAsync("are you there again", turn.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(next[^1]).Success, Assert.IsType<TurnEnd>(next[^1]).Error);
    }
}
