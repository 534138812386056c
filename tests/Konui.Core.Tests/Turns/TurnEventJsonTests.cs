using System.Globalization;
using Konui.Core.Kontasks;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Turns;

/// <summary>Turn events written to the turn log and the SSE stream, and read back.</summary>
public sealed class TurnEventJsonTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-21T06:41:55.123+01:00", CultureInfo.InvariantCulture);

    private static readonly Dictionary<Type, string> TypeNames = new()
    {
        [typeof(TurnStart)] = "turn_start",
        [typeof(TurnInit)] = "init",
        [typeof(TextDelta)] = "text_delta",
        [typeof(ThinkingDelta)] = "thinking_delta",
        [typeof(AssistantBlock)] = "assistant",
        [typeof(ToolResult)] = "tool_result",
        [typeof(ApiRetry)] = "api_retry",
        [typeof(TurnStatus)] = "status",
        [typeof(TurnResult)] = "result",
        [typeof(TurnEnd)] = "turn_end",
        [typeof(RawEvent)] = "raw",
        [typeof(DecisionRequest)] = "decision_request",
        [typeof(DecisionResult)] = "decision_result",
        [typeof(ControlResponse)] = "control_response",
        [typeof(ControlCancel)] = "control_cancel",
    };

    public static TheoryData<string> AllRecordings => Recordings.All;

    [Theory]
    [MemberData(nameof(AllRecordings))]
    public void Every_event_of_a_recording_reads_back_the_same_and_names_its_type_first(string name)
    {
        foreach (var turnEvent in Stamped(Recordings.Parse(name)))
        {
            var json = TurnEventJson.Serialize(turnEvent);

            Assert.StartsWith($$"""{"type":"{{TypeNames[turnEvent.GetType()]}}",""", json, StringComparison.Ordinal);
            var back = TurnEventJson.Deserialize(json);
            Assert.NotNull(back);
            Assert.Equal(turnEvent.GetType(), back.GetType());
            Assert.Equal((turnEvent.Seq, turnEvent.At), (back.Seq, back.At));
            Assert.Equal(json, TurnEventJson.Serialize(back));
            Assert.Equal(json, TurnEventJson.Serialize(TurnEventJson.Deserialize(TurnEventJson.SerializeToUtf8(turnEvent))!));
        }
    }

    [Fact]
    public void What_a_user_sees_of_a_turn_survives_the_round_trip()
    {
        var events = Stamped(Recordings.Parse("v2.1.329/turn-partial-tools.jsonl"))
            .Select(e => TurnEventJson.Deserialize(TurnEventJson.Serialize(e))!)
            .ToList();

        var init = events.OfType<TurnInit>().Single();
        Assert.Equal(("claude-opus-5-5", "2.1.329"), (init.Model, init.ClaudeCodeVersion));
        Assert.Contains("mcp__konui__konui_create_task", init.Tools);
        Assert.Equal(new McpServerState("konui", "connected"), Assert.Single(init.McpServers));
        Assert.StartsWith("The user wants", string.Concat(events.OfType<ThinkingDelta>().Select(d => d.Text)), StringComparison.Ordinal);
        var bash = events.OfType<AssistantBlock>().First(b => b.ToolName == "Bash");
        Assert.Equal(("tool_use", 1, "ls -la src"), (bash.BlockType, bash.BlockIndex, bash.Input?.GetProperty("command").GetString()));
        var bashResult = events.OfType<ToolResult>().Single(r => r.ToolUseId == bash.ToolUseId);
        Assert.StartsWith("total 24\n", bashResult.Content, StringComparison.Ordinal);
        var result = events.OfType<TurnResult>().Single();
        Assert.Equal(0.0618784, result.TotalCostUsd);
        Assert.NotNull(result.Usage);
        Assert.True(result.Usage.OutputTokens > 0);
        Assert.True(result.ModelUsage?.TryGetProperty("claude-opus-5-5", out _));
        Assert.Equal(Start.AddMilliseconds(events.Count - 1), events[^1].At);
    }

    [Fact]
    public void Retries_api_errors_and_raw_lines_survive_the_round_trip()
    {
        var events = Recordings.Parse("v2.1.329/turn-api-error.jsonl")
            .Concat(new StreamJsonParser().Parse("not json"))
            .Select(e => TurnEventJson.Deserialize(TurnEventJson.Serialize(e))!)
            .ToList();

        Assert.Equal([(1, 529, "overloaded"), (2, 529, "overloaded")],
            events.OfType<ApiRetry>().Select(r => (r.Attempt, r.ErrorStatus ?? 0, r.Error)));
        Assert.True(events.OfType<AssistantBlock>().Single().IsApiError);
        Assert.Equal((true, 529), (events.OfType<TurnResult>().Single().IsError, events.OfType<TurnResult>().Single().ApiErrorStatus));
        Assert.Equal("not json", events.OfType<RawEvent>().Single().Text);
    }

    [Fact]
    public void Turn_start_and_turn_end_round_trip_with_their_names_and_timing()
    {
        var start = new TurnStart("turn-1", "console-1", "req-1", "Fix the build", 2) { Seq = 1, At = Start };
        var end = new TurnEnd(false, "interrupted", new TurnTiming { TotalMs = 1200, TtfeMs = 300, ToolCallCount = 2, ToolsPct = 12.5 })
        {
            Seq = 9,
            At = Start.AddSeconds(1.2),
        };

        var startJson = TurnEventJson.Serialize(start);
        var endJson = TurnEventJson.Serialize(end);

        Assert.StartsWith("""{"type":"turn_start",""", startJson, StringComparison.Ordinal);
        Assert.StartsWith("""{"type":"turn_end",""", endJson, StringComparison.Ordinal);
        Assert.Equal(start, TurnEventJson.Deserialize(startJson));
        var endBack = Assert.IsType<TurnEnd>(TurnEventJson.Deserialize(endJson));
        Assert.True(endBack.IsTerminal);
        Assert.Equal((false, "interrupted", 9L), (endBack.Success, endBack.Error, endBack.Seq));
        Assert.Equal((1200d, 300d, 2, 12.5), (endBack.Timing?.TotalMs, endBack.Timing?.TtfeMs, endBack.Timing?.ToolCallCount, endBack.Timing?.ToolsPct));
    }

    [Fact]
    public void The_recordings_the_turn_bounds_and_the_decision_results_use_every_event_type_name()
    {
        var names = Recordings.Names.SelectMany(Recordings.Parse)
            .Append(new TurnStart("t", "s", "r", "p", 0))
            .Append(new TurnEnd(true, null, null))
            .Append(new DecisionResult("dec_1", DecisionOutcome.Allowed, DecisionResult.Allow, null, null, null, null, false, "test", null))
            .Append(new ControlCancel("r1"))
            .Select(e => TurnEventJson.Serialize(e).Split('"')[3])
            .ToHashSet();

        Assert.Equal(TypeNames.Values.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_event_whose_type_is_not_first_still_reads_back()
    {
        var back = TurnEventJson.Deserialize("""{"seq":3,"messageId":"msg_1","index":0,"text":"Hel","type":"text_delta"}""");

        Assert.Equal(new TextDelta("msg_1", 0, "Hel") { Seq = 3 }, back);
    }

    private static List<TurnEvent> Stamped(IEnumerable<TurnEvent> events) =>
        events.Select((e, i) => e with { Seq = i + 1, At = Start.AddMilliseconds(i) }).ToList();
}
