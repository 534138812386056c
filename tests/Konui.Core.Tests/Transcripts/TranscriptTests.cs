using System.Globalization;
using System.Text.Json.Nodes;
using Konui.Core.Kontasks;
using Konui.Core.Tests.Turns;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Transcripts;

/// <summary>The conversation a user sees, folded from the real CLI's recorded turns as konsole numbers them.</summary>
public sealed class TranscriptTests
{
    private const string Session = "session-1";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-21T06:00:00Z", CultureInfo.InvariantCulture);

    public static TheoryData<string> AllRecordings => Recordings.All;

    /// <summary>A turn as konsole serves it: turn_start, the recording's events numbered 2.., and turn_end when it is given.</summary>
    private static List<TurnEvent> Turn(IEnumerable<string> lines, string turnId = "t1", string requestId = "req-1", DateTimeOffset? startedAt = null, TurnEnd? end = null)
    {
        var parser = new StreamJsonParser();
        var events = new List<TurnEvent> { new TurnStart(turnId, Session, requestId, "Make a kontask", 0) { Seq = 1, At = startedAt ?? T0 } };
        foreach (var turnEvent in lines.SelectMany(parser.Parse)) events.Add(turnEvent with { Seq = events.Count + 1 });
        if (end is not null) events.Add(end with { Seq = events.Count + 1 });
        return events;
    }

    private static List<TurnEvent> Turn(string recording, TurnEnd? end = null) => Turn(Recordings.Lines(recording), end: end);

    private static TranscriptTurn Fold(List<TurnEvent> events, Transcript? transcript = null)
    {
        transcript ??= new Transcript();
        foreach (var turnEvent in events) Assert.Equal(ApplyOutcome.Applied, transcript.Apply(((TurnStart)events[0]).TurnId, turnEvent));
        return transcript.Find(((TurnStart)events[0]).TurnId)!;
    }

    /// <summary>An item as a reader would describe it.</summary>
    private static string Describe(TranscriptItem item) => item switch
    {
        AssistantText text => $"text{(text.IsApiError ? " (API error)" : "")}: {text.Text}",
        ThinkingText thinking => $"thinking: {thinking.Text}",
        ToolCall call => $"{call.Name} {(call.HasResult ? call.IsError ? "failed" : "done" : "running")}: {call.Input?.GetRawText()}",
        RetryNote retry => $"retry {retry.Attempt} of {retry.MaxRetries}: {retry.ErrorStatus} {retry.Error} in {retry.RetryDelayMs} ms",
        TurnNote note => $"note: {note.Text}",
        _ => item.GetType().Name,
    };

    [Fact]
    public void Streamed_text_grows_one_text_item_until_the_finished_block_replaces_it_with_the_final_text()
    {
        var events = Turn("v2.1.329/turn-partial.jsonl");
        var transcript = new Transcript();
        var streamed = "";
        foreach (var turnEvent in events)
        {
            transcript.Apply("t1", turnEvent);
            if (turnEvent is not TextDelta delta) continue;
            streamed += delta.Text;
            var item = Assert.IsType<AssistantText>(Assert.Single(transcript.Find("t1")!.Items));
            Assert.Equal(streamed, item.Text);
            Assert.False(item.IsFinished);
        }

        var finished = Assert.IsType<AssistantText>(Assert.Single(transcript.Find("t1")!.Items));
        var block = events.OfType<AssistantBlock>().Single();
        Assert.Equal(block.Text, finished.Text);
        Assert.True(finished.IsFinished);
        Assert.StartsWith("The project is a small React + TypeScript app.", finished.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllRecordings))]
    public void Every_text_and_thinking_block_is_one_item_with_its_final_text_or_what_streamed_of_it_in_the_order_it_came(string name)
    {
        var events = Turn(name);
        var turn = Fold(events);

        var blocks = new List<(string Kind, string? MessageId, int Index, string Text, bool IsApiError)>();
        foreach (var turnEvent in events)
        {
            var (kind, messageId, index, text, isFinal, isApiError) = turnEvent switch
            {
                TextDelta d => ("text", d.MessageId, d.Index, d.Text, false, false),
                ThinkingDelta d => ("thinking", d.MessageId, d.Index, d.Text, false, false),
                AssistantBlock { BlockType: "text" or "thinking" } b => (b.BlockType, b.MessageId, b.BlockIndex, b.Text ?? "", true, b.IsApiError && b.BlockType == "text"),
                _ => ("", null, 0, "", false, false),
            };
            if (kind.Length == 0) continue;
            var at = blocks.FindIndex(b => (b.Kind, b.MessageId, b.Index) == (kind, messageId, index));
            if (at < 0) blocks.Add((kind, messageId, index, text, isApiError));
            else blocks[at] = blocks[at] with { Text = isFinal ? text : blocks[at].Text + text, IsApiError = isApiError };
        }
        Assert.Equal(
            blocks.Select(b => $"{b.Kind}{(b.IsApiError ? " (API error)" : "")}: {b.Text}"),
            turn.Items.Where(i => i is AssistantText or ThinkingText).Select(Describe));
    }

    [Fact]
    public void Thinking_is_its_own_item_before_the_answer()
    {
        var turn = Fold(Turn("partial-think.jsonl"));

        Assert.Equal(["thinking: Let me think about this greeting.", "text: Thought about it: hello!"], turn.Items.Select(Describe));
        Assert.True(Assert.IsType<ThinkingText>(turn.Items[0]).IsFinished);
    }

    [Fact]
    public void Tool_calls_show_their_input_and_then_their_result_in_the_order_claude_made_them()
    {
        var turn = Fold(Turn("v2.1.329/turn-tools.jsonl"));

        Assert.Equal(
            [
                "thinking: The user wants a task created for the failing build. First I should look at the project layout and the build script to describe the problem accurately. Let me list the source directory and read package.json.",
                """Bash done: {"command":"ls -la src","description":"List files in src directory"}""",
                """Read done: {"file_path":"/home/dev/konui-app/package.json"}""",
                "text: The build script runs `tsc -b && vite build`. I'll create a Konui task so you can pick how to proceed.",
                KonuiTools.CreateTaskInClaude + " done: " + turn.Items.OfType<ToolCall>().Last().Input?.GetRawText(),
                "text: I created task **KON-142** \"Fix TypeScript build failure in src/api.ts\" in Konui with three choices (Fix it now, Open a PR for review, Ignore). The root cause is the untyped `fetchTasks` return value in `src/api.ts`.",
            ],
            turn.Items.Select(Describe));
        var calls = turn.Items.OfType<ToolCall>().ToList();
        Assert.StartsWith("total 24\ndrwxr-xr-x 2 root root 4096 Nov 21 06:38 .", calls[0].Result, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"konui-app\"", calls[1].Result, StringComparison.Ordinal);
        Assert.All(calls, c => Assert.False(c.IsError));
        Assert.Equal("Fix TypeScript build failure in src/api.ts", calls[2].Input?.GetProperty("title").GetString());
    }

    [Fact]
    public void A_tool_call_that_is_still_running_has_no_result_yet()
    {
        var events = Turn("v2.1.329/turn-tools.jsonl");
        var transcript = new Transcript();
        foreach (var turnEvent in events.TakeWhile(e => e is not ToolResult)) transcript.Apply("t1", turnEvent);

        var calls = transcript.Find("t1")!.Items.OfType<ToolCall>().ToList();
        Assert.Equal(["Bash running", "Read running"], calls.Select(c => $"{c.Name} {(c.HasResult ? "done" : "running")}"));
        Assert.All(calls, c => Assert.Null(c.Result));
    }

    [Theory]
    [InlineData("mcp-noallow.jsonl", KonuiTools.CreateTaskInClaude, "Claude requested permissions to use mcp__konui__konui_create_task, but you haven't granted it yet.")]
    [InlineData("v2.1.329/turn-permission-denied.jsonl", "Bash", "This Bash command contains multiple operations. The following parts require approval: mkdir -p dist, touch dist/.gitkeep")]
    [InlineData("v2.1.329/turn-error.jsonl", "Bash", "Exit code 127\nsh: 1: vitest: not found")]
    public void A_tool_call_that_failed_is_marked_as_an_error_with_what_it_said(string name, string tool, string result)
    {
        var call = Fold(Turn(name)).Items.OfType<ToolCall>().Single();

        Assert.Equal(tool, call.Name);
        Assert.True(call.IsError);
        Assert.Equal(result, call.Result);
        Assert.Null(call.KontaskId);
    }

    [Fact]
    public void The_create_task_call_carries_the_id_of_the_kontask_it_made()
    {
        var turn = Fold(Turn(WithToolResult(Recordings.Lines("mcp.jsonl"), """{"success":true,"task":{"id":"kt_x","title":"Write e2e tests","status":"open","url":"/kontasks/kt_x"}}""")));

        var call = turn.Items.OfType<ToolCall>().Single();
        Assert.Equal(KonuiTools.CreateTaskInClaude, call.Name);
        Assert.Equal("kt_x", call.KontaskId);
    }

    [Theory]
    [InlineData("mcp.jsonl")]
    [InlineData("v2.1.329/turn-tools.jsonl")]
    public void A_create_task_result_that_names_no_kontask_leaves_the_call_an_ordinary_tool_call(string name)
    {
        var call = Fold(Turn(name)).Items.OfType<ToolCall>().Single(c => c.Name == KonuiTools.CreateTaskInClaude);

        Assert.NotNull(call.Result);
        Assert.Null(call.KontaskId);
    }

    [Fact]
    public void Api_retries_become_retry_notes_before_the_error_the_cli_gave_up_with()
    {
        var turn = Fold(Turn("err500-retries2.jsonl"));

        Assert.Equal(
            [
                "retry 1 of 2: 500 server_error in 510 ms",
                "retry 2 of 2: 500 server_error in 1060 ms",
                "text (API error): API Error: 500 mock internal server error. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (127.0.0.1:8765).",
            ],
            turn.Items.Select(Describe));
        Assert.True(turn.Result?.IsError);
        Assert.Equal(500, turn.Result?.ApiErrorStatus);
    }

    [Fact]
    public void The_result_is_kept_and_turn_end_ends_the_turn_and_finishes_text_that_was_still_streaming()
    {
        var end = new TurnEnd(false, "interrupted: konsole restarted", new TurnTiming { TotalMs = 1234 }, 0.0123);
        var events = Turn("sigterm.jsonl");
        var transcript = new Transcript();
        foreach (var turnEvent in events) transcript.Apply("t1", turnEvent);
        var turn = transcript.Find("t1")!;
        Assert.True(turn.IsRunning);
        Assert.False(Assert.IsType<AssistantText>(Assert.Single(turn.Items)).IsFinished);

        Assert.Equal(ApplyOutcome.Applied, transcript.Apply("t1", end with { Seq = events.Count + 1 }));

        Assert.False(turn.IsRunning);
        Assert.Equal(("interrupted: konsole restarted", 1234.0, 0.0123), (turn.End?.Error, turn.End?.Timing?.TotalMs, turn.End?.CostUsd));
        Assert.True(Assert.IsType<AssistantText>(Assert.Single(turn.Items)).IsFinished);
    }

    [Fact]
    public void A_successful_turn_keeps_the_clis_result_with_usage_and_cost_and_the_model()
    {
        var turn = Fold(Turn("v2.1.329/turn-simple.jsonl", new TurnEnd(true, null, new TurnTiming { TotalMs = 2500 }, 0.045062)));

        Assert.Equal("claude-opus-5-5", turn.Model);
        Assert.Equal(("success", false), (turn.Result?.Subtype, turn.Result?.IsError));
        Assert.Equal(new TurnUsage(4, 61, 5123, 14210), turn.Result?.Usage);
        Assert.Equal(236, turn.Result?.DurationMs);
        Assert.True(turn.End?.Success);
        Assert.False(turn.IsRunning);
        Assert.Equal(("t1", Session, "req-1", "Make a kontask", T0), (turn.TurnId, turn.SessionId, turn.RequestId, turn.Prompt, turn.StartedAt));
    }

    [Fact]
    public void A_status_in_words_becomes_a_note_and_the_clis_short_statuses_do_not()
    {
        var transcript = new Transcript();
        var note = "Claude Code had not saved this conversation before it stopped, so it continues in a new one: earlier turns are not in its memory.";
        transcript.Apply("t1", new TurnStart("t1", Session, "req-1", "Hi", 0) { Seq = 1, At = T0 });
        transcript.Apply("t1", new TurnStatus("requesting") { Seq = 2 });
        transcript.Apply("t1", new TurnStatus(note) { Seq = 3 });

        Assert.Equal(["note: " + note], transcript.Find("t1")!.Items.Select(Describe));
    }

    [Fact]
    public void An_event_seen_already_is_ignored_and_one_that_skips_ahead_is_a_gap_that_changes_nothing()
    {
        var events = Turn("partial-think.jsonl");
        var transcript = new Transcript();
        foreach (var turnEvent in events.Take(5)) transcript.Apply("t1", turnEvent);
        var turn = transcript.Find("t1")!;
        var before = turn.Items.Select(Describe).ToList();

        Assert.Equal(ApplyOutcome.Ignored, transcript.Apply("t1", events[3]));
        Assert.Equal(ApplyOutcome.Ignored, transcript.Apply("t1", events[0]));
        Assert.Equal(ApplyOutcome.Gap, transcript.Apply("t1", events[6]));
        Assert.Equal(before, turn.Items.Select(Describe));
        Assert.Equal(5, turn.LastSeq);
        Assert.Equal(5, transcript.EventCount);

        foreach (var turnEvent in events.Skip(5)) Assert.Equal(ApplyOutcome.Applied, transcript.Apply("t1", turnEvent));
        Assert.Equal(["thinking: Let me think about this greeting.", "text: Thought about it: hello!"], turn.Items.Select(Describe));
    }

    [Fact]
    public void An_event_of_a_turn_whose_start_was_not_seen_is_a_gap()
    {
        var transcript = new Transcript();

        Assert.Equal(ApplyOutcome.Gap, transcript.Apply("t1", new TextDelta("m", 0, "Hello") { Seq = 4 }));
        Assert.Empty(transcript.Turns);
    }

    [Fact]
    public void Turns_are_shown_in_the_order_they_started_whatever_order_their_events_arrive_in()
    {
        var transcript = new Transcript();
        Fold(Turn(Recordings.Lines("stdin.jsonl"), "second", "req-2", T0.AddMinutes(2)), transcript);
        Fold(Turn(Recordings.Lines("simple.jsonl"), "first", "req-1", T0), transcript);
        Fold(Turn(Recordings.Lines("partial-think.jsonl"), "third", "req-3", T0.AddMinutes(5)), transcript);

        Assert.Equal(["first", "second", "third"], transcript.Turns.Select(t => t.TurnId));
    }

    [Fact]
    public void A_kontask_of_the_turn_is_shown_once_after_it_and_updated_in_place()
    {
        var transcript = new Transcript();
        Fold(Turn("simple.jsonl"), transcript);

        Assert.True(transcript.AddKontask(Summary("kt_1", "req-1", "Draft")));
        Assert.True(transcript.AddKontask(Summary("kt_1", "req-1", "Final")));
        Assert.False(transcript.AddKontask(Summary("kt_2", "req-other", "Elsewhere")));
        Assert.False(transcript.AddKontask(Summary("kt_3", null, "No request")));

        Assert.Equal(["kt_1 Final"], transcript.Find("t1")!.OtherKontasks.Select(k => $"{k.Id} {k.Title}"));
    }

    [Fact]
    public void A_kontask_its_create_task_call_shows_is_not_shown_again_after_the_turn()
    {
        var transcript = new Transcript();
        Fold(Turn(WithToolResult(Recordings.Lines("mcp.jsonl"), """{"success":true,"task":{"id":"kt_x"}}""")), transcript);

        Assert.False(transcript.AddKontask(Summary("kt_x", "req-1", "Write e2e tests")));

        Assert.Empty(transcript.Find("t1")!.OtherKontasks);
        Assert.Equal("kt_x", transcript.Find("t1")!.Items.OfType<ToolCall>().Single().KontaskId);
    }

    [Fact]
    public void A_kontask_that_lands_before_its_create_task_result_ends_up_shown_only_on_the_tool_call()
    {
        var events = Turn(WithToolResult(Recordings.Lines("mcp.jsonl"), """{"success":true,"task":{"id":"kt_x"}}"""));
        var transcript = new Transcript();
        var result = events.FindIndex(e => e is ToolResult);
        foreach (var turnEvent in events.Take(result)) transcript.Apply("t1", turnEvent);

        Assert.True(transcript.AddKontask(Summary("kt_x", "req-1", "Write e2e tests")));
        foreach (var turnEvent in events.Skip(result)) transcript.Apply("t1", turnEvent);

        var turn = transcript.Find("t1")!;
        Assert.Equal("kt_x", turn.Items.OfType<ToolCall>().Single().KontaskId);
        Assert.Empty(turn.OtherKontasks);
    }

    /// <summary>
    /// A turn in which Claude starts a subagent (the Agent tool), in the CLI 2.1.197's shapes: the CLI marks the
    /// subagent's prompt and blocks with parent_tool_use_id, the Agent call's id.
    /// </summary>
    private static readonly string[] SubagentLines =
    [
        """{"type":"assistant","message":{"id":"msg_main1","role":"assistant","model":"claude-test","content":[{"type":"text","text":"Let me ask a helper."},{"type":"tool_use","id":"toolu_agent","name":"Agent","input":{"description":"Count files","prompt":"Count the files in src","subagent_type":"general-purpose"}}]},"parent_tool_use_id":null,"session_id":"s"}""",
        """{"type":"system","subtype":"task_started","task_id":"a6d1","tool_use_id":"toolu_agent","description":"Count files","session_id":"s"}""",
        """{"type":"user","message":{"role":"user","content":[{"type":"text","text":"Count the files in src"}]},"parent_tool_use_id":"toolu_agent","session_id":"s"}""",
        """{"type":"assistant","message":{"id":"msg_sub1","role":"assistant","model":"claude-test","content":[{"type":"text","text":"Listing src."},{"type":"tool_use","id":"toolu_ls","name":"Bash","input":{"command":"ls src"}}]},"parent_tool_use_id":"toolu_agent","session_id":"s"}""",
        """{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_ls","content":"a.cs\nb.cs\nc.cs","is_error":false}]},"parent_tool_use_id":"toolu_agent","session_id":"s"}""",
        """{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_agent","content":[{"type":"text","text":"There are 3 files in src."}]}]},"parent_tool_use_id":null,"session_id":"s"}""",
        """{"type":"assistant","message":{"id":"msg_main2","role":"assistant","model":"claude-test","content":[{"type":"text","text":"The helper counted 3 files."}]},"parent_tool_use_id":null,"session_id":"s"}""",
    ];

    [Fact]
    public void A_subagents_text_and_tool_calls_go_inside_the_call_that_started_it_not_into_the_main_conversation()
    {
        var turn = Fold(Turn(SubagentLines, end: new TurnEnd(true, null, null)));

        Assert.Equal(["text: Let me ask a helper.", """Agent done: {"description":"Count files","prompt":"Count the files in src","subagent_type":"general-purpose"}""", "text: The helper counted 3 files."],
            turn.Items.Select(Describe));
        var agent = Assert.IsType<ToolCall>(turn.Items[1]);
        Assert.Equal("There are 3 files in src.", agent.Result);
        Assert.Equal(["text: Listing src.", """Bash done: {"command":"ls src"}"""], agent.Steps.Select(Describe));
        Assert.Equal("a.cs\nb.cs\nc.cs", ((ToolCall)agent.Steps[1]).Result);
        Assert.True(((AssistantText)agent.Steps[0]).IsFinished);
    }

    private static KontaskSummary Summary(string id, string? requestId, string title) =>
        KontaskSummary.From(new Kontask { Id = id, Title = title, RequestId = requestId }, 0, 0, 1);

    /// <summary>The recording with its one tool result's text replaced, as the konui tool would have answered.</summary>
    private static IEnumerable<string> WithToolResult(IEnumerable<string> lines, string text) => lines.Select(line =>
    {
        var node = JsonNode.Parse(line)!;
        if (node["type"]?.GetValue<string>() != "user") return line;
        node["message"]!["content"]![0]!["content"]![0]!["text"] = text;
        return node.ToJsonString();
    });
}
