using System.Globalization;
using System.Text.Json;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Turns;

/// <summary>The parser over the real CLI's stdout: what a user would see of each recorded turn.</summary>
public sealed class StreamJsonParserRecordingTests
{
    private const string InterruptMarker = "[Request interrupted by user]";
    private const string CreateTask = "mcp__konui__konui_create_task";

    public static TheoryData<string> AllRecordings => Recordings.All;

    [Fact]
    public void The_stdout_recordings_of_both_cli_versions_are_in_the_test_data()
    {
        Assert.Equal(43, Recordings.Names.Count);
        Assert.Equal(14, Recordings.Names.Count(n => n.StartsWith("v2.1.329/", StringComparison.Ordinal)));
        Assert.Equal(7, Recordings.Names.Count(n => n.StartsWith("v2.1.197-permissions/", StringComparison.Ordinal)));
        Assert.Equal(4, Recordings.Names.Count(n => n.StartsWith("v2.1.197-review/", StringComparison.Ordinal)));
        Assert.DoesNotContain(Recordings.Names, n => n.EndsWith(".stdin.jsonl", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllRecordings))]
    public void Every_line_comes_out_as_what_it_is_and_only_noise_is_dropped(string name)
    {
        var parser = new StreamJsonParser();
        var expected = new List<string>();
        var actual = new List<string>();
        var number = 0;
        foreach (var line in Recordings.Lines(name))
        {
            number++;
            using var document = JsonDocument.Parse(line);
            expected.Add($"{number}: {Expect(document.RootElement)}");
            actual.Add($"{number}: {string.Join(" | ", parser.Parse(line).Select(e => Describe(e, document.RootElement)))}");
        }
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("simple.jsonl", "claude-opus-4-8[1m]", 24, "8ee85f39-cc36-4551-93a4-ac0b550071c0", "2.1.197",
        "msg_mock_9cae8040afaa4b7a", "claude-opus-4-8", "Hello from the mock API!", 12, 10, 0, 0, 0.00031, 154, 25)]
    [InlineData("v2.1.329/turn-simple.jsonl", "claude-opus-5-5", 22, "9c0fee0f-e170-4e99-8958-43eddbdf866a", "2.1.329",
        "msg_01I2selWWUxsWtIfcYvkhWIj", "claude-opus-5-5",
        "The project is a small React + TypeScript app. `src/App.tsx` renders the task board and `src/api.ts` wraps the Konui REST API. Run `npm test` to execute the Vitest suite.",
        4, 61, 5123, 14210, 0.045062, 236, 49)]
    public void A_simple_turn_is_the_init_one_text_block_and_a_successful_result_with_usage_cost_and_duration(
        string name, string initModel, int toolCount, string sessionId, string version, string messageId, string model, string text,
        long input, long output, long cacheCreation, long cacheRead, double cost, long durationMs, long durationApiMs)
    {
        Assert.Collection(Recordings.Parse(name),
            e =>
            {
                var init = Assert.IsType<TurnInit>(e);
                Assert.Equal(initModel, init.Model);
                Assert.Equal(toolCount, init.Tools.Count);
                Assert.Contains("Bash", init.Tools);
                Assert.Empty(init.McpServers);
                Assert.Equal(sessionId, init.CliSessionId);
                Assert.Equal("default", init.PermissionMode);
                Assert.Equal(version, init.ClaudeCodeVersion);
            },
            e =>
            {
                var block = Assert.IsType<AssistantBlock>(e);
                Assert.Equal((messageId, 0, "text", text, model), (block.MessageId, block.BlockIndex, block.BlockType, block.Text, block.Model));
                Assert.False(block.IsApiError);
                Assert.Null(block.ParentToolUseId);
            },
            e =>
            {
                var result = Assert.IsType<TurnResult>(e);
                Assert.Equal(("success", false, "completed"), (result.Subtype, result.IsError, result.TerminalReason));
                Assert.Equal(new TurnUsage(input, output, cacheCreation, cacheRead), result.Usage);
                Assert.Equal(cost, result.TotalCostUsd);
                Assert.Equal(durationMs, result.DurationMs);
                Assert.Equal(durationApiMs, result.DurationApiMs);
                Assert.Equal(1, result.NumTurns);
                Assert.Equal(text, result.ResultText);
                Assert.Equal(sessionId, result.CliSessionId);
                Assert.Empty(result.Errors);
                Assert.Null(result.ApiErrorStatus);
                Assert.True(result.ModelUsage?.TryGetProperty(initModel, out _), "modelUsage should name the session's model");
            });
    }

    [Fact]
    public void With_partial_messages_the_text_streams_in_pieces_that_add_up_to_the_final_answer()
    {
        var events = Recordings.Parse("v2.1.329/turn-partial.jsonl");

        Assert.Equal(
            ["TurnInit", "TurnStatus", "TextDelta", "TextDelta", "TextDelta", "TextDelta", "AssistantBlock", "TurnResult"],
            events.Select(e => e.GetType().Name));
        Assert.Equal("requesting", events.OfType<TurnStatus>().Single().Status);
        var pieces = events.OfType<TextDelta>().ToList();
        var block = events.OfType<AssistantBlock>().Single();
        Assert.All(pieces, p => Assert.Equal((block.MessageId, 0), (p.MessageId, p.Index)));
        Assert.Equal(block.Text, string.Concat(pieces.Select(p => p.Text)));
        Assert.Equal(block.Text, events.OfType<TurnResult>().Single().ResultText);
        Assert.StartsWith("The project is a small React + TypeScript ", block.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("partial.jsonl")]
    [InlineData("partial-think.jsonl")]
    [InlineData("stdin-multi.jsonl")]
    [InlineData("stdin-interrupt.jsonl")]
    [InlineData("sigint.jsonl")]
    [InlineData("stdin-sigint.jsonl")]
    [InlineData("v2.1.329/turn-partial.jsonl")]
    [InlineData("v2.1.329/turn-partial-tools.jsonl")]
    [InlineData("v2.1.329/turn-interrupted-partial.jsonl")]
    public void Streamed_pieces_add_up_to_the_finished_block_they_belong_to_and_come_before_it(string name)
    {
        var events = Recordings.Parse(name);
        var streams = events
            .Select((e, position) => e switch
            {
                TextDelta t => (Key: (t.MessageId, t.Index, Type: "text"), Piece: t.Text, Position: position),
                ThinkingDelta t => (Key: (t.MessageId, t.Index, Type: "thinking"), Piece: t.Text, Position: position),
                _ => default,
            })
            .Where(p => p.Piece is not null)
            .GroupBy(p => p.Key)
            .ToList();

        Assert.NotEmpty(streams);
        foreach (var stream in streams)
        {
            var blockPosition = events.FindIndex(e =>
                e is AssistantBlock b && (b.MessageId, b.BlockIndex, b.BlockType) == stream.Key);
            Assert.True(blockPosition >= 0, $"no finished {stream.Key.Type} block {stream.Key.Index} of {stream.Key.MessageId}");
            Assert.Equal(((AssistantBlock)events[blockPosition]).Text, string.Concat(stream.Select(p => p.Piece)));
            Assert.True(stream.Max(p => p.Position) < blockPosition, "the pieces should come before the finished block");
        }
    }

    [Fact]
    public void Thinking_streams_in_pieces_that_add_up_to_the_thinking_block()
    {
        var events = Recordings.Parse("partial-think.jsonl");

        Assert.Equal(["Let me think ", "about this greeting."], events.OfType<ThinkingDelta>().Select(d => d.Text));
        Assert.Equal(["Thought ", "about it", ": hello!"], events.OfType<TextDelta>().Select(d => d.Text));
        Assert.Collection(events.OfType<AssistantBlock>(),
            b => Assert.Equal(("thinking", 0, "Let me think about this greeting."), (b.BlockType, b.BlockIndex, b.Text)),
            b => Assert.Equal(("text", 1, "Thought about it: hello!"), (b.BlockType, b.BlockIndex, b.Text)));
    }

    [Theory]
    [InlineData("v2.1.329/turn-tools.jsonl", false)]
    [InlineData("v2.1.329/turn-partial-tools.jsonl", true)]
    public void A_turn_with_tools_shows_thinking_each_call_with_its_input_and_each_result(string name, bool partial)
    {
        var events = Recordings.Parse(name);
        var blocks = events.OfType<AssistantBlock>().ToList();

        var firstMessage = blocks.Where(b => b.MessageId == blocks[0].MessageId).ToList();
        Assert.Equal([0, 1, 2], firstMessage.Select(b => b.BlockIndex));
        Assert.Equal(["thinking", "tool_use", "tool_use"], firstMessage.Select(b => b.BlockType));
        Assert.StartsWith("The user wants a task created for the failing build.", firstMessage[0].Text, StringComparison.Ordinal);
        Assert.Equal(partial ? firstMessage[0].Text : "", string.Concat(events.OfType<ThinkingDelta>().Select(d => d.Text)));

        var calls = blocks.Where(b => b.BlockType == "tool_use").ToList();
        Assert.Equal(["Bash", "Read", CreateTask], calls.Select(c => c.ToolName));
        Assert.Equal("ls -la src", calls[0].Input?.GetProperty("command").GetString());
        Assert.EndsWith("/package.json", calls[1].Input?.GetProperty("file_path").GetString(), StringComparison.Ordinal);
        Assert.Equal("Fix TypeScript build failure in src/api.ts", calls[2].Input?.GetProperty("title").GetString());
        Assert.Equal(3, calls.Select(c => c.ToolUseId).Distinct().Count());

        var results = events.OfType<ToolResult>().ToList();
        Assert.Equal([calls[1].ToolUseId, calls[0].ToolUseId, calls[2].ToolUseId], results.Select(r => r.ToolUseId));
        Assert.All(results, r => Assert.False(r.IsError));
        Assert.Contains("\"name\": \"konui-app\"", results[0].Content, StringComparison.Ordinal);
        Assert.StartsWith("total 24\n", results[1].Content, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"KON-142\"", results[2].Content, StringComparison.Ordinal);
        Assert.All(results, r => Assert.True(
            events.FindIndex(e => e is AssistantBlock { ToolUseId: var id } && id == r.ToolUseId) < events.IndexOf(r),
            "a tool result should follow its tool_use"));

        var result = events.OfType<TurnResult>().Single();
        Assert.Equal((false, 4), (result.IsError, result.NumTurns));
        Assert.Equal(blocks[^1].Text, result.ResultText);
    }

    [Fact]
    public void A_repeated_assistant_or_user_line_is_shown_once_and_does_not_shift_the_block_numbers()
    {
        var lines = Recordings.Lines("v2.1.329/turn-tools.jsonl");
        var parser = new StreamJsonParser();

        var thinking = Assert.IsType<AssistantBlock>(Assert.Single(parser.Parse(lines[6])));
        var bash = Assert.IsType<AssistantBlock>(Assert.Single(parser.Parse(lines[7])));
        var bashAgain = parser.Parse(lines[7]);
        var read = Assert.IsType<AssistantBlock>(Assert.Single(parser.Parse(lines[8])));
        var readResult = Assert.IsType<ToolResult>(Assert.Single(parser.Parse(lines[9])));
        var readResultAgain = parser.Parse(lines[9]);

        Assert.Empty(bashAgain);
        Assert.Empty(readResultAgain);
        Assert.Equal([0, 1, 2], new[] { thinking, bash, read }.Select(b => b.BlockIndex));
        Assert.Equal(read.ToolUseId, readResult.ToolUseId);
        Assert.Single(new StreamJsonParser().Parse(lines[7]));
    }

    [Theory]
    [InlineData("mcp.jsonl", "created task #42 'Write e2e tests' (priority high)")]
    [InlineData("mcp-bare.jsonl", "created task #42 'Write e2e tests' (priority high)")]
    [InlineData("mcp-http.jsonl", "[http] created task #43 'Write e2e tests'")]
    public void An_mcp_tool_call_shows_the_konui_create_task_call_and_what_the_server_answered(string name, string answer)
    {
        var events = Recordings.Parse(name);

        var init = events.OfType<TurnInit>().Single();
        Assert.Equal(new McpServerState("konui", "connected"), Assert.Single(init.McpServers));
        Assert.Contains(CreateTask, init.Tools);
        var call = events.OfType<AssistantBlock>().Single(b => b.BlockType == "tool_use");
        Assert.Equal((CreateTask, 1), (call.ToolName, call.BlockIndex));
        Assert.Equal("Write e2e tests", call.Input?.GetProperty("title").GetString());
        Assert.Equal("high", call.Input?.GetProperty("priority").GetString());
        var result = events.OfType<ToolResult>().Single();
        Assert.Equal((call.ToolUseId, answer, false), (result.ToolUseId, result.Content, result.IsError));
        Assert.EndsWith(answer, events.OfType<TurnResult>().Single().ResultText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mcp-noallow.jsonl",
        "Claude requested permissions to use mcp__konui__konui_create_task, but you haven't granted it yet.")]
    [InlineData("v2.1.329/turn-permission-denied.jsonl",
        "This Bash command contains multiple operations. The following parts require approval: mkdir -p dist, touch dist/.gitkeep")]
    public void A_tool_without_permission_comes_back_as_an_error_result_saying_why(string name, string why)
    {
        var events = Recordings.Parse(name);

        var call = events.OfType<AssistantBlock>().Single(b => b.BlockType == "tool_use");
        var result = events.OfType<ToolResult>().Single();
        Assert.Equal((call.ToolUseId, why, true), (result.ToolUseId, result.Content, result.IsError));
        Assert.False(events.OfType<TurnResult>().Single().IsError);
    }

    [Fact]
    public void The_permission_denied_notice_is_passed_on_raw_and_the_permission_prompt_is_a_decision_request()
    {
        var denied = Recordings.Parse("v2.1.329/turn-permission-denied.jsonl");
        var prompted = Recordings.Parse("v2.1.329/turn-permission-prompt.jsonl");

        Assert.Equal(["TurnInit", "AssistantBlock", "RawEvent", "ToolResult", "AssistantBlock", "TurnResult"],
            denied.Select(e => e.GetType().Name));
        Assert.Equal("permission_denied", Prop(denied.OfType<RawEvent>().Single(), "subtype"));
        Assert.Equal(["TurnInit", "AssistantBlock", "DecisionRequest", "ToolResult", "AssistantBlock", "TurnResult"],
            prompted.Select(e => e.GetType().Name));
        var prompt = prompted.OfType<DecisionRequest>().Single();
        Assert.Equal("Bash", prompt.ToolName);
        Assert.Equal(prompted.OfType<AssistantBlock>().First().ToolUseId, prompt.ToolUseId);
        Assert.Equal((false, "(Bash completed with no output)"),
            (prompted.OfType<ToolResult>().Single().IsError, prompted.OfType<ToolResult>().Single().Content));
    }

    [Theory]
    [InlineData("stdin-interrupt.jsonl")]
    [InlineData("sigint.jsonl")]
    [InlineData("stdin-sigint.jsonl")]
    [InlineData("v2.1.329/turn-interrupted.jsonl")]
    [InlineData("v2.1.329/turn-interrupted-partial.jsonl")]
    public void An_interrupted_turn_keeps_its_partial_answer_and_ends_in_an_aborted_error_result(string name)
    {
        var events = Recordings.Parse(name);

        var resultAt = events.FindIndex(e => e is TurnResult);
        var result = (TurnResult)events[resultAt];
        Assert.Equal(("error_during_execution", true, "aborted_streaming"), (result.Subtype, result.IsError, result.TerminalReason));
        Assert.Null(result.ResultText);
        Assert.StartsWith("[ede_diagnostic]", Assert.Single(result.Errors), StringComparison.Ordinal);
        var marker = Assert.IsType<RawEvent>(events[resultAt - 1]);
        Assert.Equal(InterruptMarker, marker.Line?.GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
        var partialAnswer = Assert.IsType<AssistantBlock>(events[resultAt - 2]);
        Assert.False(string.IsNullOrEmpty(partialAnswer.Text));
    }

    [Fact]
    public void After_an_interrupt_the_same_process_runs_the_next_turn_to_success()
    {
        var results = Recordings.Parse("stdin-interrupt.jsonl").OfType<TurnResult>().ToList();

        Assert.Equal([("error_during_execution", true), ("success", false)], results.Select(r => (r.Subtype, r.IsError)));
        Assert.Equal("Hello from the mock API!", results[1].ResultText);
    }

    [Fact]
    public void A_turn_killed_by_sigterm_has_no_result_only_what_had_streamed()
    {
        var events = Recordings.Parse("sigterm.jsonl");

        Assert.Equal(["TurnInit", "TurnStatus", "TextDelta"], events.Select(e => e.GetType().Name));
        Assert.Equal("Working ", events.OfType<TextDelta>().Single().Text);
    }

    [Theory]
    [InlineData("err500-retries2.jsonl", 500, new[] { 510, 1060 }, "server_error", "API Error: 500 mock internal server error.")]
    [InlineData("err529-retries2.jsonl", 529, new[] { 547, 1198 }, "overloaded", "API Error: 529 Overloaded.")]
    [InlineData("ERR401-retries2.jsonl", 401, new[] { 571, 1077 }, "authentication_failed", "Invalid API key · Fix external API key")]
    [InlineData("ERR400-retries2.jsonl", 400, new int[0], null, "API Error: 400 mock: bad request")]
    [InlineData("v2.1.329/turn-api-error.jsonl", 529, new[] { 599, 1093 }, "overloaded", "API Error: 529 Overloaded.")]
    public void An_api_error_shows_each_retry_then_the_error_message_and_an_error_result(
        string name, int status, int[] retryDelaysMs, string? retryError, string message)
    {
        var events = Recordings.Parse(name);

        var retries = events.OfType<ApiRetry>().ToList();
        Assert.Equal(Enumerable.Range(1, retryDelaysMs.Length), retries.Select(r => r.Attempt));
        Assert.All(retries, r => Assert.Equal((2, status, retryError), (r.MaxRetries, r.ErrorStatus, r.Error)));
        Assert.Equal(retryDelaysMs, retries.Select(r => r.RetryDelayMs));
        var error = events.OfType<AssistantBlock>().Single();
        Assert.True(error.IsApiError);
        Assert.Equal("<synthetic>", error.Model);
        Assert.StartsWith(message, error.Text, StringComparison.Ordinal);
        var result = events.OfType<TurnResult>().Single();
        Assert.Equal(("success", true, status), (result.Subtype, result.IsError, result.ApiErrorStatus));
        Assert.Equal(error.Text, result.ResultText);
        Assert.IsType<TurnResult>(events[^1]);
    }

    [Fact]
    public void An_error_in_the_middle_of_a_stream_that_the_cli_recovers_from_is_an_ordinary_answer()
    {
        var events = Recordings.Parse("MIDERR-retries2.jsonl");

        Assert.Empty(events.OfType<ApiRetry>());
        var answer = events.OfType<AssistantBlock>().Single();
        Assert.Equal(("Partial answer", false), (answer.Text, answer.IsApiError));
        var result = events.OfType<TurnResult>().Single();
        Assert.Equal(("success", false, "Partial answer"), (result.Subtype, result.IsError, result.ResultText));
    }

    [Fact]
    public void A_turn_stopped_by_max_turns_ends_in_an_error_result_that_says_so()
    {
        var events = Recordings.Parse("v2.1.329/turn-error.jsonl");

        var failed = events.OfType<ToolResult>().Single();
        Assert.Equal(("Exit code 127\nsh: 1: vitest: not found", true), (failed.Content, failed.IsError));
        var result = events.OfType<TurnResult>().Single();
        Assert.Equal(("error_max_turns", true, "max_turns"), (result.Subtype, result.IsError, result.TerminalReason));
        Assert.Equal(["Reached maximum number of turns (1)"], result.Errors);
    }

    [Theory]
    [InlineData("stdin-multi.jsonl", new[] { "Hello from the mock API!", "Thought about it: hello!" })]
    [InlineData("v2.1.329/session-multiturn.jsonl", new[]
    {
        "The project is a small React + TypeScript app. `src/App.tsx` renders the task board and `src/api.ts` wraps the Konui REST API. Run `npm test` to execute the Vitest suite.",
        "`src/App.tsx` renders the board; each column comes from `src/Column.tsx`.",
    })]
    public void One_process_running_two_turns_gives_two_inits_and_two_results_in_turn(string name, string[] answers)
    {
        var events = Recordings.Parse(name);

        var turns = events.Where(e => e is TurnInit or TurnResult).Select(e => e.GetType().Name);
        Assert.Equal(["TurnInit", "TurnResult", "TurnInit", "TurnResult"], turns);
        var results = events.OfType<TurnResult>().ToList();
        Assert.Equal(answers, results.Select(r => r.ResultText));
        Assert.All(results, r => Assert.False(r.IsError));
        Assert.True(results[1].TotalCostUsd > results[0].TotalCostUsd, "total_cost_usd is cumulative over the session");
    }

    [Fact]
    public void A_session_shows_its_permission_mode_change_and_passes_on_the_command_lifecycle_raw()
    {
        var events = Recordings.Parse("v2.1.329/session-multiturn.jsonl");

        Assert.Equal(["default", "acceptEdits"], events.OfType<TurnInit>().Select(i => i.PermissionMode));
        Assert.Equal(["queued", "started", "completed", "queued", "started", "completed"],
            events.OfType<RawEvent>().Where(r => Prop(r, "type") == "command_lifecycle").Select(r => Prop(r, "state")));
    }

    [Fact]
    public void Compacting_a_session_shows_the_compaction_and_ends_in_a_result_without_crashing()
    {
        var events = Recordings.Parse("v2.1.329/session-compact.jsonl");

        Assert.Equal(3, events.OfType<TurnInit>().Count());
        Assert.Equal(3, events.OfType<TurnResult>().Count());
        var afterSecondResult = events.Skip(events.FindLastIndex(e => e is TurnResult { NumTurns: not 0 }) + 1).ToList();
        Assert.Equal(["status compacting", "status ", "init", "raw compact_boundary", "raw user", "raw user", "result"],
            afterSecondResult.Select(e => e switch
            {
                TurnStatus s => $"status {s.Status}",
                TurnInit => "init",
                RawEvent r => $"raw {Prop(r, "subtype") ?? Prop(r, "type")}",
                TurnResult => "result",
                _ => e.GetType().Name,
            }));
        var compacted = events.OfType<TurnResult>().Last();
        Assert.Equal(("success", false, 0, null), (compacted.Subtype, compacted.IsError, compacted.NumTurns, compacted.TerminalReason));
        Assert.Equal(["compact_boundary"],
            events.OfType<RawEvent>().Where(r => Prop(r, "type") == "system").Select(r => Prop(r, "subtype")));
    }

    [Fact]
    public void A_replayed_prompt_with_an_image_is_passed_on_raw_before_the_answer()
    {
        var events = Recordings.Parse("v2.1.329/turn-input-image.jsonl");

        Assert.Equal(["ControlResponse", "TurnInit", "RawEvent", "AssistantBlock", "TurnResult"], events.Select(e => e.GetType().Name));
        var prompt = events.OfType<RawEvent>().Single().Line!.Value.GetProperty("message").GetProperty("content");
        Assert.Equal(["text", "image"], prompt.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
    }

    [Fact]
    public void Control_responses_come_out_for_konsole_with_their_request_id_outcome_and_payload()
    {
        var responses = Recordings.Parse("v2.1.329/control-responses.jsonl").Cast<ControlResponse>().ToList();

        Assert.Equal([("d2e3f4a5b6c7", false), ("e3f4a5b6c7d8", true), ("c1d2e3f4a5b6", true)], responses.Select(r => (r.RequestId, r.Success)));
        Assert.Equal("Unsupported control request subtype: no_such_request", responses[0].Error);
        Assert.Equal("claude-sonnet-5-5", responses[2].Response!.Value.GetProperty("model").GetString());
    }

    private static string? Prop(RawEvent raw, string name) =>
        raw.Line is { ValueKind: JsonValueKind.Object } line && line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>What a line should become, written the way <see cref="Describe"/> writes events.</summary>
    private static string Expect(JsonElement line)
    {
        var type = line.GetProperty("type").GetString();
        var subtype = line.TryGetProperty("subtype", out var s) ? s.GetString() : null;
        switch (type, subtype)
        {
            case ("system", "init"):
                return $"init {line.GetProperty("session_id").GetString()}";
            case ("system", "status"):
                return $"status {line.GetProperty("status")}";
            case ("system", "api_retry"):
                return $"api_retry {line.GetProperty("attempt")}";
            case ("system", "thinking_tokens"):
                return "";
            case ("control_response", _):
                var response = line.GetProperty("response");
                return $"control_response {response.GetProperty("request_id").GetString()} {response.GetProperty("subtype").GetString() == "success"}";
            case ("control_request", _) when line.GetProperty("request").GetProperty("subtype").GetString() == "can_use_tool":
                var request = line.GetProperty("request");
                return $"decision_request {line.GetProperty("request_id").GetString()} {request.GetProperty("tool_name").GetString()} {request.GetProperty("tool_use_id").GetString()}";
            case ("assistant", _):
                var message = line.GetProperty("message");
                return string.Join(" | ", message.GetProperty("content").EnumerateArray()
                    .Select(b => $"assistant {message.GetProperty("id").GetString()} {b.GetProperty("type").GetString()}"));
            case ("user", _):
                var content = line.GetProperty("message").GetProperty("content");
                var results = content.ValueKind == JsonValueKind.Array
                    ? content.EnumerateArray().Where(b => b.GetProperty("type").GetString() == "tool_result")
                        .Select(b => $"tool_result {b.GetProperty("tool_use_id").GetString()} {b.TryGetProperty("is_error", out var e) && e.GetBoolean()}")
                        .ToList()
                    : [];
                return results.Count > 0 ? string.Join(" | ", results) : "raw line";
            case ("stream_event", _):
                var streamEvent = line.GetProperty("event");
                if (!streamEvent.TryGetProperty("delta", out var delta) || !delta.TryGetProperty("type", out var deltaType)) return "";
                return deltaType.GetString() switch
                {
                    "text_delta" => $"text_delta {streamEvent.GetProperty("index")} {delta.GetProperty("text").GetString()}",
                    "thinking_delta" => $"thinking_delta {streamEvent.GetProperty("index")} {delta.GetProperty("thinking").GetString()}",
                    _ => "",
                };
            case ("result", _):
                return $"result {subtype} {line.GetProperty("is_error").GetBoolean()} {line.GetProperty("session_id").GetString()}";
            default:
                return "raw line";
        }
    }

    private static string Describe(TurnEvent turnEvent, JsonElement line) => turnEvent switch
    {
        TurnInit i => $"init {i.CliSessionId}",
        TurnStatus s => $"status {s.Status}",
        ApiRetry r => $"api_retry {r.Attempt.ToString(CultureInfo.InvariantCulture)}",
        AssistantBlock b => $"assistant {b.MessageId} {b.BlockType}",
        ToolResult r => $"tool_result {r.ToolUseId} {r.IsError}",
        TextDelta d => $"text_delta {d.Index.ToString(CultureInfo.InvariantCulture)} {d.Text}",
        ThinkingDelta d => $"thinking_delta {d.Index.ToString(CultureInfo.InvariantCulture)} {d.Text}",
        TurnResult r => $"result {r.Subtype} {r.IsError} {r.CliSessionId}",
        ControlResponse c => $"control_response {c.RequestId} {c.Success}",
        DecisionRequest d => $"decision_request {d.CliRequestId} {d.ToolName} {d.ToolUseId}",
        RawEvent { Line: { } raw, Text: null } when JsonElement.DeepEquals(raw, line) => "raw line",
        _ => $"unexpected {turnEvent}",
    };
}
