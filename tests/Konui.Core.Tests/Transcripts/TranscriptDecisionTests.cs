using System.Globalization;
using System.Text.Json;
using Konui.Core.Konsole;
using Konui.Core.Tests.Turns;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Transcripts;

/// <summary>Decisions in the conversation, from the real CLI's permission recordings as konsole serves them: each at its tool call.</summary>
public sealed class TranscriptDecisionTests
{
    private const string Fixtures = "v2.1.197-permissions/";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-02T01:00:00Z", CultureInfo.InvariantCulture);

    /// <summary>
    /// A recording as konsole logs it: turn_start, each can_use_tool as a decision with konsole's id, the answer
    /// <paramref name="decide"/> gives recorded right after it, no control lines, and turn_end when <paramref name="end"/>.
    /// </summary>
    private static List<TurnEvent> Served(string recording, Func<DecisionRequest, DecisionResult?> decide, bool end = true)
    {
        var events = new List<TurnEvent> { new TurnStart("t1", "s1", "req-1", "Do it", 0) { Seq = 1, At = T0 } };
        void Add(TurnEvent e) => events.Add(e with { Seq = events.Count + 1, At = T0.AddSeconds(events.Count) });
        foreach (var turnEvent in Recordings.Parse(recording).Where(e => e is not ControlResponse and not ControlCancel))
        {
            if (turnEvent is DecisionRequest request)
            {
                var asked = request with { DecisionId = $"dec_{events.Count}" };
                Add(asked);
                if (decide(asked) is { } result) Add(result);
            }
            else Add(turnEvent);
        }
        if (end) Add(new TurnEnd(true, null, null));
        return events;
    }

    private static TranscriptTurn Fold(IEnumerable<TurnEvent> events, Transcript? transcript = null)
    {
        transcript ??= new Transcript();
        foreach (var turnEvent in events) Assert.Equal(ApplyOutcome.Applied, transcript.Apply("t1", turnEvent));
        return transcript.Find("t1")!;
    }

    private static DecisionResult Decided(DecisionRequest request, DecisionOutcome outcome, string? message = null, JsonElement? updatedInput = null) =>
        new(request.DecisionId, outcome, outcome == DecisionOutcome.Denied ? "deny" : "allow", message, null, updatedInput, null, false, "Dashboard", null);

    [Fact]
    public void A_pending_decision_sits_at_its_tool_call_and_the_turn_waits_for_you()
    {
        var events = Served(Fixtures + "permission-bash-allow.jsonl", _ => null, end: false);
        var transcript = new Transcript();
        var upToTheQuestion = events.TakeWhile(e => e is not ToolResult).ToList();

        var turn = Fold(upToTheQuestion, transcript);

        var call = turn.Items.OfType<ToolCall>().Single();
        var decision = call.Decision!;
        Assert.Equal((DecisionState.Pending, "Bash", call.ToolUseId), (decision.State, decision.ToolName, decision.Request.ToolUseId));
        Assert.True(turn.IsWaiting);
        Assert.Equal([decision], transcript.PendingDecisions);
        Assert.DoesNotContain(turn.Items, i => i is DecisionItem);
    }

    [Fact]
    public void Allowed_the_card_turns_allowed_with_who_answered_and_the_tool_runs()
    {
        var turn = Fold(Served(Fixtures + "permission-bash-allow.jsonl", r => Decided(r, DecisionOutcome.Allowed)));

        var call = turn.Items.OfType<ToolCall>().Single();
        Assert.Equal((DecisionState.Allowed, "Dashboard"), (call.Decision!.State, call.Decision.Result!.By));
        Assert.False(call.IsError);
        Assert.False(turn.IsWaiting);
    }

    [Fact]
    public void Denied_the_card_turns_denied_with_the_reason_the_model_was_told()
    {
        var turn = Fold(Served(Fixtures + "permission-bash-deny.jsonl", r => Decided(r, DecisionOutcome.Denied, "The user said no from the dashboard.")));

        var call = turn.Items.OfType<ToolCall>().Single();
        Assert.Equal((DecisionState.Denied, "The user said no from the dashboard."), (call.Decision!.State, call.Decision.Result!.Message));
        Assert.True(call.IsError);
        Assert.Contains("The user said no from the dashboard.", call.Result, StringComparison.Ordinal);
    }

    [Fact]
    public void A_question_shows_its_questions_and_options_then_the_answers_given()
    {
        DecisionResult? answered = null;
        var turn = Fold(Served(Fixtures + "ask-user-question.jsonl", r =>
        {
            var answer = DecisionAnswer.Answer(r, new Dictionary<string, string> { ["Which database should we use?"] = "PostgreSQL" });
            return answered = Decided(r, DecisionOutcome.Answered, updatedInput: answer.UpdatedInput);
        }));

        var decision = turn.Items.OfType<ToolCall>().Single().Decision!;
        var question = Assert.Single(decision.Questions);
        Assert.Equal(("Which database should we use?", "Database", false), (question.Question, question.Header, question.MultiSelect));
        Assert.Equal([new DecisionOption("SQLite (Recommended)", "One file, no server"), new DecisionOption("PostgreSQL", "A server, more features")], question.Options);
        Assert.Equal(DecisionState.Answered, decision.State);
        Assert.Equal("PostgreSQL", decision.Answers["Which database should we use?"]);
        Assert.Equal(["questions", "answers"], answered!.UpdatedInput!.Value.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_plan_shows_the_markdown_the_model_wrote()
    {
        var turn = Fold(Served(Fixtures + "set-mode-plan-exit-plan.jsonl", r => Decided(r, DecisionOutcome.Allowed)));

        var plan = turn.Items.OfType<ToolCall>().Single(c => c.Name == DecisionRequest.ExitPlanModeTool).Decision!;
        Assert.StartsWith("# Plan: add the parser", plan.Plan, StringComparison.Ordinal);
        Assert.Equal(DecisionState.Allowed, plan.State);
        Assert.Null(turn.Items.OfType<ToolCall>().Single(c => c.Name == "Write").Decision);
    }

    [Fact]
    public void A_decision_withdrawn_by_claude_code_or_left_open_by_the_turns_end_is_withdrawn()
    {
        var withdrawn = Fold(Served(Fixtures + "permission-bash-allow.jsonl",
            r => new DecisionResult(r.DecisionId, DecisionOutcome.Withdrawn, null, null, null, null, null, false, "Claude Code", "Claude Code withdrew the request")));
        var events = Served(Fixtures + "permission-bash-allow.jsonl", _ => null, end: false);
        var cut = events.TakeWhile(e => e is not ToolResult).Append(new TurnEnd(false, "Claude Code was killed", null)).ToList();
        var ended = Fold(cut.Select((e, i) => e with { Seq = i + 1 }));

        Assert.Equal(DecisionState.Withdrawn, withdrawn.Decisions.Single().State);
        Assert.Equal(DecisionState.Withdrawn, ended.Decisions.Single().State);
        Assert.Null(ended.Decisions.Single().Result);
        Assert.False(ended.IsWaiting);
    }

    [Fact]
    public void A_decision_before_its_tool_call_shows_on_its_own_until_the_call_comes_then_at_the_call()
    {
        var events = Served(Fixtures + "permission-bash-allow.jsonl", _ => null, end: false).TakeWhile(e => e is not ToolResult).ToList();
        var asked = events.OfType<DecisionRequest>().Single();
        var call = events.OfType<AssistantBlock>().Single(b => b.BlockType == "tool_use");
        var reordered = events.Where(e => e != call).ToList();
        reordered.Add(call);
        var transcript = new Transcript();

        var turn = Fold(reordered.Take(reordered.Count - 1).Select((e, i) => e with { Seq = i + 1 }), transcript);
        var alone = Assert.Single(turn.Items.OfType<DecisionItem>());
        Assert.Equal(asked.DecisionId, alone.Decision.DecisionId);
        transcript.Apply("t1", call with { Seq = reordered.Count });

        Assert.DoesNotContain(turn.Items, i => i is DecisionItem);
        Assert.Equal(asked.DecisionId, turn.Items.OfType<ToolCall>().Single().Decision!.DecisionId);
    }
}
