using System.Globalization;
using System.Text.Json;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Turns;

/// <summary>Where a turn's time went, from events at known times (milliseconds after the turn started).</summary>
public sealed class TurnTimingMeterTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-21T06:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public void A_turn_with_thinking_and_two_parallel_tools_is_split_into_first_event_thinking_and_tools()
    {
        var meter = new TurnTimingMeter(T0);
        meter.Observe(At(0, new TurnStart("t", "s", "r", "p", 0)));
        meter.PromptWritten(At(10));
        meter.Observe(At(60, Init()));
        meter.Observe(At(100, new ThinkingDelta("m1", 0, "Let me ")));
        meter.Observe(At(150, new ThinkingDelta("m1", 0, "think.")));
        meter.Observe(At(300, Block("m1", 0, "thinking")));
        meter.Observe(At(400, ToolUse("m1", 1, "a")));
        meter.Observe(At(500, ToolUse("m1", 2, "b")));
        meter.Observe(At(600, new ToolResult("a", "ok", false)));
        meter.Observe(At(700, new ToolResult("b", "ok", false)));
        meter.Observe(At(800, new TextDelta("m2", 0, "Done")));
        meter.Observe(At(850, Block("m2", 0, "text")));
        meter.Observe(At(900, Result()));

        var timing = meter.Finish(At(1000));

        Assert.Equal(1000, timing.TotalMs);
        Assert.Equal(50, timing.TtfeMs);
        Assert.Equal(200, timing.ThinkingMs);
        Assert.Equal(300, timing.ToolExecutionMs);
        Assert.Equal(2, timing.ToolCallCount);
        Assert.Equal(5.0, timing.TtfePct);
        Assert.Equal(20.0, timing.ThinkingPct);
        Assert.Equal(30.0, timing.ToolsPct);
    }

    [Theory]
    [InlineData(0, 100, 50, 150, 150)]
    [InlineData(0, 300, 100, 200, 300)]
    [InlineData(0, 100, 200, 250, 150)]
    [InlineData(50, 150, 0, 100, 150)]
    [InlineData(0, 100, 100, 200, 200)]
    public void Tools_running_at_the_same_time_count_once(int aFrom, int aTo, int bFrom, int bTo, double expectedMs)
    {
        var meter = new TurnTimingMeter(T0);
        var calls = new[] { (Id: "a", From: aFrom, To: aTo), (Id: "b", From: bFrom, To: bTo) };
        var timeline = calls.Select(c => (At: c.From, Event: (TurnEvent)ToolUse("m", c.Id == "a" ? 0 : 1, c.Id)))
            .Concat(calls.Select(c => (At: c.To, Event: (TurnEvent)new ToolResult(c.Id, "ok", false))))
            .OrderBy(x => x.At);
        foreach (var (at, turnEvent) in timeline) meter.Observe(At(at, turnEvent));

        var timing = meter.Finish(At(1000));

        Assert.Equal(expectedMs, timing.ToolExecutionMs);
        Assert.Equal(2, timing.ToolCallCount);
        Assert.Equal(expectedMs / 10, timing.ToolsPct);
    }

    [Fact]
    public void A_tool_still_running_when_the_turn_ends_counts_until_the_end()
    {
        var meter = new TurnTimingMeter(T0);
        meter.Observe(At(100, ToolUse("m", 0, "slow")));
        meter.Observe(At(150, ToolUse("m", 1, "fast")));
        meter.Observe(At(200, new ToolResult("fast", "ok", false)));

        var timing = meter.Finish(At(400));

        Assert.Equal(300, timing.ToolExecutionMs);
        Assert.Equal(2, timing.ToolCallCount);
        Assert.Equal(75.0, timing.ToolsPct);
    }

    [Fact]
    public void Thinking_cut_off_by_an_interrupt_counts_until_the_end_and_separate_thinking_adds_up()
    {
        var meter = new TurnTimingMeter(T0);
        meter.Observe(At(100, new ThinkingDelta("m1", 0, "a")));
        meter.Observe(At(200, Block("m1", 0, "thinking")));
        meter.Observe(At(500, new ThinkingDelta("m2", 0, "b")));
        meter.Observe(At(550, new ThinkingDelta("m2", 0, "c")));

        var timing = meter.Finish(At(800));

        Assert.Equal(100 + 300, timing.ThinkingMs);
        Assert.Equal(50.0, timing.ThinkingPct);
        Assert.Equal(0, timing.ToolCallCount);
        Assert.Equal(0, timing.ToolExecutionMs);
    }

    [Fact]
    public void Time_to_first_event_runs_from_the_prompt_write_and_the_turn_bounds_are_not_events()
    {
        var meter = new TurnTimingMeter(T0);
        meter.Observe(At(5, new TurnStart("t", "s", "r", "p", 0)));
        meter.PromptWritten(At(400));
        meter.PromptWritten(At(450));
        meter.Observe(At(700, Init()));
        meter.Observe(At(800, new TextDelta("m", 0, "Hi")));

        var timing = meter.Finish(At(1000));

        Assert.Equal(300, timing.TtfeMs);
        Assert.Equal(30.0, timing.TtfePct);
    }

    [Fact]
    public void Without_a_prompt_write_there_is_no_time_to_first_event()
    {
        var meter = new TurnTimingMeter(T0);
        meter.Observe(At(100, Init()));

        var timing = meter.Finish(At(200));

        Assert.Equal(200, timing.TotalMs);
        Assert.Null(timing.TtfeMs);
        Assert.Null(timing.TtfePct);
        Assert.Equal(0.0, timing.ThinkingPct);
        Assert.Equal(0.0, timing.ToolsPct);
    }

    [Fact]
    public void A_recorded_turn_with_tools_counts_each_tool_call_and_its_thinking()
    {
        var events = Recordings.Parse("v2.1.329/turn-partial-tools.jsonl")
            .Select((e, i) => e with { At = T0.AddMilliseconds(100 + 10 * i) })
            .ToList();
        var meter = new TurnTimingMeter(T0);
        meter.PromptWritten(T0.AddMilliseconds(40));
        foreach (var turnEvent in events) meter.Observe(turnEvent);

        var timing = meter.Finish(events[^1].At.AddMilliseconds(10));

        Assert.Equal(3, events.OfType<AssistantBlock>().Count(b => b.BlockType == "tool_use"));
        Assert.Equal(3, timing.ToolCallCount);
        Assert.Equal(60, timing.TtfeMs);
        var thinkingFrom = events.First(e => e is ThinkingDelta).At;
        var thinkingTo = events.OfType<AssistantBlock>().First(b => b.BlockType == "thinking").At;
        Assert.Equal((thinkingTo - thinkingFrom).TotalMilliseconds, timing.ThinkingMs);
        var toolSpans = events.OfType<AssistantBlock>().Where(b => b.BlockType == "tool_use")
            .Select(b => (From: b.At, To: events.OfType<ToolResult>().Single(r => r.ToolUseId == b.ToolUseId).At))
            .ToList();
        var firstCall = (From: toolSpans[0].From, To: toolSpans.Take(2).Max(s => s.To));
        Assert.Equal((firstCall.To - firstCall.From + (toolSpans[2].To - toolSpans[2].From)).TotalMilliseconds, timing.ToolExecutionMs);
        Assert.True(timing.ToolsPct is > 0 and < 100);
    }

    private static TurnEvent At(int ms, TurnEvent turnEvent) => turnEvent with { At = T0.AddMilliseconds(ms) };

    private static DateTimeOffset At(int ms) => T0.AddMilliseconds(ms);

    private static TurnInit Init() => new("claude-opus-5-5", ["Bash"], [], "session", null, "default", "2.1.329");

    private static AssistantBlock Block(string messageId, int index, string type) =>
        new(messageId, index, type, "…", null, null, null, "claude-opus-5-5", null, false);

    private static AssistantBlock ToolUse(string messageId, int index, string id) =>
        new(messageId, index, "tool_use", null, id, "Bash", JsonDocument.Parse("""{"command":"ls"}""").RootElement.Clone(), "claude-opus-5-5", null, false);

    private static TurnResult Result() =>
        new("success", false, "completed", new TurnUsage(1, 2, 0, 0), 0.01, 900, 500, 1, "Done", "session", [], null, null);
}
