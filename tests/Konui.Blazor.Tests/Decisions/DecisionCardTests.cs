using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using Konui.Blazor.Components.Pages.Dashboard;
using Konui.Blazor.Tests.Dashboard;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Blazor.Tests.Decisions;

/// <summary>
/// The decision cards, drawn at their tool calls from the real CLI's permission recordings as konsole serves them (each
/// can_use_tool a decision with konsole's id), and answered through the real KonsoleClient.
/// </summary>
public sealed class DecisionCardTests : DashboardTest
{
    private const string Fixtures = "v2.1.197-permissions/";
    private const string TurnId = "t1";

    /// <summary>
    /// The recording as konsole serves it: turn_start, its events with each decision given an id and followed by what
    /// <paramref name="decide"/> answers, up to the first tool result while one waits, or to the turn's end.
    /// </summary>
    private static Transcript Served(string recording, Func<DecisionRequest, DecisionResult?>? decide = null, Func<JsonObject, JsonObject>? editInput = null)
    {
        var parser = new StreamJsonParser();
        var events = new List<TurnEvent> { new TurnStart(TurnId, SessionId, "req-1", "Do it", 0) { Seq = 1, At = Now.AddMinutes(-1) } };
        void Add(TurnEvent e) => events.Add(e with { Seq = events.Count + 1, At = Now.AddMinutes(-1).AddSeconds(events.Count) });
        var waiting = false;
        foreach (var turnEvent in Lines(Fixtures + recording).SelectMany(parser.Parse).Where(e => e is not ControlResponse and not ControlCancel))
        {
            if (turnEvent is DecisionRequest request)
            {
                var input = editInput is not null && request.Input is { } given ? JsonSerializer.SerializeToElement(editInput(JsonNode.Parse(given.GetRawText())!.AsObject())) : request.Input;
                var asked = request with { DecisionId = $"dec_{events.Count}", Input = input };
                Add(asked);
                if (decide?.Invoke(asked) is { } result) Add(result);
                else
                {
                    waiting = true;
                    break;
                }
            }
            else Add(turnEvent);
        }
        if (!waiting) Add(new TurnEnd(true, null, null));
        var transcript = new Transcript();
        foreach (var turnEvent in events) Assert.Equal(ApplyOutcome.Applied, transcript.Apply(TurnId, turnEvent));
        return transcript;
    }

    private static DecisionResult Decided(DecisionRequest request, DecisionOutcome outcome, string by, string? message = null, string? remember = null, string? reason = null) =>
        new(request.DecisionId, outcome, outcome == DecisionOutcome.Denied ? "deny" : "allow", message, remember, null, null, false, by, reason);

    private IRenderedComponent<TranscriptTurns> Show(Transcript transcript) =>
        Render<TranscriptTurns>(p => p.Add(c => c.Transcript, transcript));

    private static TranscriptDecision Pending(Transcript transcript) => Assert.Single(transcript.PendingDecisions);

    [Fact]
    public void A_command_waits_at_its_tool_call_with_what_it_runs_and_the_three_answers()
    {
        var page = Show(Served("allow-for-session.jsonl"));

        var call = page.Find(".tool-call[data-tool='Bash']");
        var card = page.Find(".decision-card");
        Assert.True(card.NextElementSibling!.ClassList.Contains("tool-call"), "the card sits on its tool call");
        Assert.Equal(("waiting", "0"), (card.GetAttribute("data-state"), card.GetAttribute("tabindex")));
        Assert.Equal("Claude wants to run a command", card.QuerySelector(".decision-ask")!.TextContent);
        Assert.Equal("Waiting for you", card.QuerySelector(".decision-state")!.TextContent.Trim());
        Assert.Equal("touch touched.txt", card.QuerySelector(".decision-command")!.TextContent);
        Assert.Equal("Create an empty marker file", card.QuerySelector(".decision-description")!.TextContent);
        Assert.Equal(["Allow once", "Allow for this session + acceptEdits", "Deny"], card.QuerySelectorAll("button").Select(b => b.TextContent.Trim()));
        var forSession = card.QuerySelector("[data-decision-allow-session]")!.GetAttribute("title")!;
        Assert.Contains("allows Bash(touch touched.txt)", forSession, StringComparison.Ordinal);
        Assert.Contains("switches the session to acceptEdits", forSession, StringComparison.Ordinal);
        Assert.Contains("waiting for you", call.QuerySelector(".tool-status")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_once_sends_an_allow_from_this_device_and_the_card_shows_it_until_the_turn_records_it()
    {
        var transcript = Served("permission-bash-allow.jsonl");
        var page = Show(transcript);

        page.Find("[data-decision-allow]").Click();

        var (turnId, decisionId, answer) = Assert.Single(Konsole.Answers);
        Assert.Equal((TurnId, Pending(transcript).DecisionId), (turnId, decisionId));
        Assert.Equal(("allow", null, null, "a Konui tab"), (answer.Behavior, answer.Remember, answer.Message, answer.Client));
        page.WaitForAssertion(() => Assert.Equal("allowed", page.Find(".decision-card").GetAttribute("data-state")));
        Assert.Equal("Allowed once by a Konui tab", page.Find(".decision-outcome-text").TextContent);
        Assert.Empty(page.FindAll(".decision-card button"));
    }

    [Fact]
    public void Allow_for_this_session_remembers_it_for_the_session()
    {
        var page = Show(Served("permission-bash-allow.jsonl"));

        var button = page.Find("[data-decision-allow-session]");
        Assert.Equal("Allow for this session", button.TextContent.Trim());
        Assert.Contains("allows Bash(echo approved *)", button.GetAttribute("title"), StringComparison.Ordinal);
        Assert.DoesNotContain("switches", button.GetAttribute("title"), StringComparison.Ordinal);

        button.Click();

        Assert.Equal(("allow", "session"), (Assert.Single(Konsole.Answers).Answer.Behavior, Konsole.Answers.Single().Answer.Remember));
        page.WaitForAssertion(() => Assert.Equal("Allowed for this session by a Konui tab", page.Find(".decision-outcome-text").TextContent));
    }

    [Fact]
    public void Deny_sends_the_reason_the_model_is_told()
    {
        var page = Show(Served("permission-bash-deny.jsonl"));

        page.Find("[data-decision-reason]").Input("Not on my machine.");
        page.Find("[data-decision-deny]").Click();

        var answer = Assert.Single(Konsole.Answers).Answer;
        Assert.Equal(("deny", "Not on my machine."), (answer.Behavior, answer.Message));
        page.WaitForAssertion(() => Assert.Equal("Denied by a Konui tab: Not on my machine.", page.Find(".decision-outcome-text").TextContent));
    }

    [Fact]
    public void An_answer_from_elsewhere_first_shows_how_it_was_decided_there()
    {
        var page = Show(Served("permission-bash-allow.jsonl"));
        Konsole.DecidedAlready = new DecisionResult("dec_x", DecisionOutcome.Denied, "deny", "No.", null, null, null, false, "Konui in Safari on iPhone", null) { At = Now };

        page.Find("[data-decision-allow]").Click();

        page.WaitForAssertion(() => Assert.Equal("denied", page.Find(".decision-card").GetAttribute("data-state")));
        Assert.Equal("Denied by Konui in Safari on iPhone: No.", page.Find(".decision-outcome-text").TextContent);
        Assert.Empty(page.FindAll(".decision-problem"));
    }

    [Fact]
    public void Decided_cards_show_the_outcome_with_who_and_why_and_no_buttons()
    {
        var allowed = Show(Served("permission-bash-allow.jsonl", r => Decided(r, DecisionOutcome.Allowed, "Konui in Chrome on Linux", remember: "session")));
        var denied = Show(Served("permission-bash-deny.jsonl", r => Decided(r, DecisionOutcome.Denied, "konsole", "The user stopped the turn.", reason: "stopped")));
        var byRule = Show(Served("permission-bash-allow.jsonl", r => Decided(r, DecisionOutcome.Allowed, "konsole", reason: "allowed for this session")));

        Assert.Equal("Allowed for this session by Konui in Chrome on Linux", allowed.Find(".decision-outcome-text").TextContent);
        Assert.Equal("Denied: the turn was stopped", denied.Find(".decision-outcome-text").TextContent);
        Assert.Equal("Allowed (allowed earlier for this session)", byRule.Find(".decision-outcome-text").TextContent);
        Assert.All(new[] { allowed, denied, byRule }, page =>
        {
            Assert.Empty(page.FindAll(".decision-card button"));
            Assert.Null(page.Find(".decision-card").GetAttribute("tabindex"));
        });
    }

    [Fact]
    public void A_decision_still_open_when_its_turn_ends_shows_withdrawn()
    {
        var transcript = Served("permission-bash-allow.jsonl");
        transcript.Apply(TurnId, new TurnEnd(false, "stopped by user", null) { Seq = transcript.Find(TurnId)!.LastSeq + 1, At = Now });

        var page = Show(transcript);

        Assert.Equal("withdrawn", page.Find(".decision-card").GetAttribute("data-state"));
        Assert.Equal("Withdrawn: the turn ended before an answer", page.Find(".decision-outcome-text").TextContent);
    }

    [Fact]
    public void A_write_shows_the_file_it_makes_as_a_diff_before_it_runs()
    {
        var page = Show(Served("permission-write-allow.jsonl"));

        var card = page.Find(".decision-card");
        Assert.Equal("Claude wants to write notes.txt", card.QuerySelector(".decision-ask")!.TextContent);
        Assert.Equal("/home/dev/project/notes.txt", card.QuerySelector(".diff-path")!.TextContent);
        var line = Assert.Single(card.QuerySelectorAll(".diff-line"));
        Assert.Equal(("added", "", "1", "+", "hello from the model"), (line.ClassList[1], line.Children[0].TextContent, line.Children[1].TextContent, line.Children[2].TextContent, line.Children[3].TextContent));
        Assert.Equal("+1 −0", card.QuerySelector(".diff-counts")!.TextContent);
        Assert.Equal("Allow for this session + acceptEdits", card.QuerySelector("[data-decision-allow-session]")!.TextContent.Trim());
    }

    [Fact]
    public void A_long_change_folds_after_40_lines_and_shows_all_on_request()
    {
        var content = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"line {i}")) + "\n";
        var page = Show(Served("permission-write-allow.jsonl", editInput: input =>
        {
            input["content"] = content;
            return input;
        }));

        Assert.Equal(40, page.FindAll(".diff-line").Count);
        Assert.Equal("Show all 100 lines (60 more)", page.Find(".diff-show-all").TextContent.Trim());

        page.Find(".diff-show-all").Click();

        var lines = page.FindAll(".diff-line");
        Assert.Equal(100, lines.Count);
        Assert.Equal(("100", "line 100"), (lines[^1].Children[1].TextContent, lines[^1].Children[3].TextContent));
        Assert.Empty(page.FindAll(".diff-show-all"));
    }

    [Fact]
    public void A_question_shows_its_header_and_options_and_sends_the_chosen_answer_as_updated_input()
    {
        var transcript = Served("ask-user-question.jsonl");
        var page = Show(transcript);

        var card = page.Find(".decision-card");
        Assert.Equal("Claude asks you a question", card.QuerySelector(".decision-ask")!.TextContent);
        Assert.Equal("Database", card.QuerySelector(".question-header")!.TextContent);
        Assert.Equal("Which database should we use?", card.QuerySelector(".question-text")!.TextContent);
        Assert.Equal(["SQLite (Recommended)", "PostgreSQL", "Other"], card.QuerySelectorAll(".question-option").Select(o => o.GetAttribute("data-option")));
        Assert.Equal(["One file, no server", "A server, more features"], card.QuerySelectorAll(".question-option-description").Select(d => d.TextContent));
        Assert.Empty(card.QuerySelectorAll("input[type=checkbox]"));
        Assert.True(page.Find("[data-decision-allow]").HasAttribute("disabled"));

        page.Find(".question-option[data-option='PostgreSQL'] input[type=radio]").Click();
        page.Find("[data-decision-allow]").Click();

        var answer = Assert.Single(Konsole.Answers).Answer;
        Assert.Equal("allow", answer.Behavior);
        var input = answer.UpdatedInput!.Value;
        Assert.Equal("PostgreSQL", input.GetProperty("answers").GetProperty("Which database should we use?").GetString());
        Assert.Equal(Pending(transcript).Request.Input!.Value.GetProperty("questions").GetRawText(), input.GetProperty("questions").GetRawText());
        page.WaitForAssertion(() => Assert.Equal("Answered by a Konui tab", page.Find(".decision-outcome-text").TextContent));
    }

    [Fact]
    public void A_multiple_choice_question_has_check_boxes_and_an_answer_of_your_own()
    {
        var page = Show(Served("ask-user-question.jsonl", editInput: input =>
        {
            input["questions"]![0]!["multiSelect"] = true;
            return input;
        }));

        Assert.Equal(3, page.FindAll(".question input[type=checkbox]").Count);
        page.Find(".question-option[data-option='SQLite (Recommended)'] input[type=checkbox]").Change(true);
        page.Find(".question-other-text").Input("DuckDB");
        page.Find("[data-decision-allow]").Click();

        var answers = Assert.Single(Konsole.Answers).Answer.UpdatedInput!.Value.GetProperty("answers");
        Assert.Equal("SQLite (Recommended), DuckDB", answers.GetProperty("Which database should we use?").GetString());
    }

    [Fact]
    public void An_answered_question_shows_what_was_chosen()
    {
        var page = Show(Served("ask-user-question.jsonl", r =>
        {
            var input = JsonNode.Parse(r.Input!.Value.GetRawText())!.AsObject();
            input["answers"] = new JsonObject { ["Which database should we use?"] = "SQLite (Recommended)" };
            return new DecisionResult(r.DecisionId, DecisionOutcome.Answered, "allow", null, null, JsonSerializer.SerializeToElement(input), null, false, "Konui in Chrome on Linux", null);
        }));

        Assert.Equal("SQLite (Recommended)", page.Find(".question-answer").TextContent);
        Assert.Equal("Answered by Konui in Chrome on Linux", page.Find(".decision-outcome-text").TextContent);
        Assert.Empty(page.FindAll(".decision-card input"));
    }

    [Fact]
    public void A_plan_is_rendered_as_safe_markdown_and_approved_in_the_mode_chosen()
    {
        var page = Show(Served("set-mode-plan-exit-plan.jsonl", editInput: input =>
        {
            input["plan"] = input["plan"]!.GetValue<string>() + "\n<script>alert(1)</script> [run](javascript:alert(2))\n";
            return input;
        }));

        var card = page.Find(".decision-card");
        Assert.Equal("Claude's plan is ready", card.QuerySelector(".decision-ask")!.TextContent);
        Assert.Equal("Plan: add the parser", card.QuerySelector(".plan-text h1")!.TextContent);
        Assert.Equal(["Write the parser", "Test the parser", "Ship it"], card.QuerySelectorAll(".plan-text ol li").Select(li => li.TextContent));
        Assert.Empty(card.QuerySelectorAll(".plan-text script"));
        Assert.Contains("<script>alert(1)</script>", card.QuerySelector(".plan-text")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("#", card.QuerySelector(".plan-text a")!.GetAttribute("href"));

        page.Find("select.plan-mode").Change("acceptEdits");
        page.Find("[data-decision-allow]").Click();

        var answer = Assert.Single(Konsole.Answers).Answer;
        Assert.Equal(("allow", "acceptEdits"), (answer.Behavior, answer.Mode));
        page.WaitForAssertion(() => Assert.Equal("Approved by a Konui tab", page.Find(".decision-outcome-text").TextContent));
    }

    [Fact]
    public void Keep_planning_sends_the_feedback_as_a_denial()
    {
        var page = Show(Served("set-mode-plan-exit-plan.jsonl"));

        page.Find("[data-decision-reason]").Input("Add a step for the docs.");
        page.Find("[data-decision-deny]").Click();

        var answer = Assert.Single(Konsole.Answers).Answer;
        Assert.Equal(("deny", "Add a step for the docs."), (answer.Behavior, answer.Message));
        page.WaitForAssertion(() => Assert.Equal("Kept planning by a Konui tab: Add a step for the docs.", page.Find(".decision-outcome-text").TextContent));
    }

    [Fact]
    public void A_decision_arriving_live_turns_into_its_outcome_when_the_answer_from_another_tab_is_recorded()
    {
        var transcript = Served("permission-bash-allow.jsonl");
        var page = Show(transcript);
        var asked = Pending(transcript);

        transcript.Apply(TurnId, Decided(asked.Request, DecisionOutcome.Allowed, "Konui in Safari on iPhone") with { Seq = transcript.Find(TurnId)!.LastSeq + 1, At = Now });
        page.Render();

        Assert.Equal("allowed", page.Find(".decision-card").GetAttribute("data-state"));
        Assert.Equal("Allowed once by Konui in Safari on iPhone", page.Find(".decision-outcome-text").TextContent);
        Assert.Empty(Konsole.Answers);
    }
}
