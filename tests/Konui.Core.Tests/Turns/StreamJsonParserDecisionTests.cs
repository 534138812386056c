using System.Text.Json;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Turns;

/// <summary>The control protocol as the parser reads it from the real CLI 2.1.197: what Claude asks, and what it answers konsole.</summary>
public sealed class StreamJsonParserDecisionTests
{
    private const string Fixtures = "v2.1.197-permissions/";

    [Fact]
    public void A_bash_call_that_no_rule_allows_is_a_decision_with_the_command_its_description_and_the_suggested_rules()
    {
        var events = Recordings.Parse(Fixtures + "permission-bash-allow.jsonl");

        var call = events.OfType<AssistantBlock>().Single(b => b.BlockType == "tool_use");
        var asked = events.OfType<DecisionRequest>().Single();
        Assert.Equal(("", "fbde3b5b-3d5b-4e1e-b4bc-b91c48d2e5dd"), (asked.DecisionId, asked.CliRequestId));
        Assert.Equal(("Bash", "Bash", call.ToolUseId), (asked.ToolName, asked.DisplayName, asked.ToolUseId));
        Assert.Equal("echo approved > approved.txt", asked.Input!.Value.GetProperty("command").GetString());
        Assert.Equal("Write a marker file", asked.Description);
        Assert.Equal("/home/dev/project/approved.txt", asked.BlockedPath);
        var suggestions = asked.PermissionSuggestions!.Value.EnumerateArray().ToList();
        Assert.Equal(["addRules", "addDirectories"], suggestions.Select(s => s.GetProperty("type").GetString()));
        Assert.Equal("echo approved *", suggestions[0].GetProperty("rules")[0].GetProperty("ruleContent").GetString());
        Assert.True(events.IndexOf(call) < events.IndexOf(asked), "the tool call shows before Claude asks about it");
        Assert.True(events.IndexOf(asked) < events.FindIndex(e => e is ToolResult), "Claude asks before the tool runs");
    }

    [Fact]
    public void A_denied_call_ends_in_an_error_result_carrying_the_reason_the_user_gave()
    {
        var events = Recordings.Parse(Fixtures + "permission-bash-deny.jsonl");

        var asked = events.OfType<DecisionRequest>().Single();
        var result = events.OfType<ToolResult>().Single();
        Assert.Equal(asked.ToolUseId, result.ToolUseId);
        Assert.True(result.IsError);
        Assert.Contains("The user said no from the dashboard.", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_offers_accept_edits_for_the_session()
    {
        var asked = Recordings.Parse(Fixtures + "permission-write-allow.jsonl").OfType<DecisionRequest>().Single();

        Assert.Equal("Write", asked.ToolName);
        Assert.Equal(("/home/dev/project/notes.txt", "hello from the model\n"),
            (asked.Input!.Value.GetProperty("file_path").GetString(), asked.Input.Value.GetProperty("content").GetString()));
        var suggestion = Assert.Single(asked.PermissionSuggestions!.Value.EnumerateArray());
        Assert.Equal(("setMode", "acceptEdits", "session"),
            (suggestion.GetProperty("type").GetString(), suggestion.GetProperty("mode").GetString(), suggestion.GetProperty("destination").GetString()));
    }

    [Fact]
    public void A_question_carries_its_questions_with_headers_and_options()
    {
        var asked = Recordings.Parse(Fixtures + "ask-user-question.jsonl").OfType<DecisionRequest>().Single();

        Assert.Equal(DecisionRequest.AskUserQuestionTool, asked.ToolName);
        Assert.Null(asked.PermissionSuggestions);
        var question = Assert.Single(asked.Input!.Value.GetProperty("questions").EnumerateArray());
        Assert.Equal(("Which database should we use?", "Database", false),
            (question.GetProperty("question").GetString(), question.GetProperty("header").GetString(), question.GetProperty("multiSelect").GetBoolean()));
        Assert.Equal(["SQLite (Recommended)", "PostgreSQL"], question.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("label").GetString()));
    }

    [Fact]
    public void Plan_mode_is_reported_when_set_and_when_the_approved_plan_ends_it()
    {
        var events = Recordings.Parse(Fixtures + "set-mode-plan-exit-plan.jsonl");

        var answered = Assert.IsType<ControlResponse>(events[0]);
        Assert.Equal(("setmode1", true, "plan", null), (answered.RequestId, answered.Success, answered.Response?.GetProperty("mode").GetString(), answered.Error));
        Assert.Equal(["plan", "default"], events.OfType<TurnStatus>().Select(s => s.PermissionMode));
        Assert.Equal("plan", events.OfType<TurnInit>().Single().PermissionMode);
        var plan = events.OfType<DecisionRequest>().Single();
        Assert.Equal(DecisionRequest.ExitPlanModeTool, plan.ToolName);
        Assert.StartsWith("# Plan: add the parser", plan.Input!.Value.GetProperty("plan").GetString(), StringComparison.Ordinal);
        Assert.Contains("User has approved your plan", events.OfType<ToolResult>().Last().Content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_allowed_for_the_session_is_asked_once_in_two_turns_and_grants_accept_edits()
    {
        var events = Recordings.Parse(Fixtures + "allow-for-session.jsonl");

        Assert.Equal(2, events.OfType<TurnResult>().Count());
        Assert.Single(events.OfType<DecisionRequest>());
        Assert.Equal(2, events.OfType<ToolResult>().Count(r => !r.IsError));
        Assert.Equal(["acceptEdits"], events.OfType<TurnStatus>().Select(s => s.PermissionMode));
    }

    [Fact]
    public void Claude_withdrawing_a_request_and_an_error_answer_are_read_for_konsole()
    {
        var parser = new StreamJsonParser();

        var cancel = Assert.IsType<ControlCancel>(Assert.Single(parser.Parse("""{"type":"control_cancel_request","request_id":"97acc620-71de-4b10-a19a-f9a8aa28dc6e"}""")));
        var refused = Assert.IsType<ControlResponse>(Assert.Single(parser.Parse(
            """{"type":"control_response","response":{"subtype":"error","request_id":"b1","error":"Cannot set permission mode to bypassPermissions because the session was not launched with --dangerously-skip-permissions"}}""")));

        Assert.Equal("97acc620-71de-4b10-a19a-f9a8aa28dc6e", cancel.RequestId);
        Assert.Equal(("b1", false, null), (refused.RequestId, refused.Success, refused.Response));
        Assert.StartsWith("Cannot set permission mode to bypassPermissions", refused.Error, StringComparison.Ordinal);
        Assert.Empty(parser.Parse("""{"type":"keep_alive"}"""));
    }

    [Fact]
    public void A_decision_and_its_result_read_back_from_the_log_as_they_were_written()
    {
        var asked = Recordings.Parse(Fixtures + "ask-user-question.jsonl").OfType<DecisionRequest>().Single() with { DecisionId = "dec_1", Seq = 3 };
        using var answers = JsonDocument.Parse("""{"questions":[],"answers":{"Which database should we use?":"PostgreSQL"}}""");
        var result = new DecisionResult("dec_1", DecisionOutcome.Answered, DecisionResult.Allow, null, null, answers.RootElement.Clone(), null, false, "Dashboard", null) { Seq = 4 };

        var askedBack = Assert.IsType<DecisionRequest>(TurnEventJson.Deserialize(TurnEventJson.Serialize(asked)));
        var json = TurnEventJson.Serialize(result);
        var resultBack = Assert.IsType<DecisionResult>(TurnEventJson.Deserialize(json));

        Assert.Equal((asked.DecisionId, asked.CliRequestId, asked.ToolName, asked.ToolUseId), (askedBack.DecisionId, askedBack.CliRequestId, askedBack.ToolName, askedBack.ToolUseId));
        Assert.True(JsonElement.DeepEquals(asked.Input!.Value, askedBack.Input!.Value));
        Assert.Contains("\"outcome\":\"answered\"", json, StringComparison.Ordinal);
        Assert.Equal((DecisionOutcome.Answered, "allow", "Dashboard"), (resultBack.Outcome, resultBack.Behavior, resultBack.By));
        Assert.Equal("PostgreSQL", resultBack.UpdatedInput!.Value.GetProperty("answers").GetProperty("Which database should we use?").GetString());
    }
}
