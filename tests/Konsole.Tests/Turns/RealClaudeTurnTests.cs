using System.Text.Json.Nodes;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

/// <summary>Turns run by the real Claude Code CLI through konsole, watched over SSE.</summary>
public sealed class RealClaudeTurnTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    [Fact]
    public async Task A_simple_turn_streams_its_answer_and_ends_with_one_terminal_event()
    {
        Rig.Model.SetScript(_ => ModelReply.Text("The build is green and all 42 tests pass.", chunks: 4));

        var (turn, events) = await Rig.RunAsync("Is the build green?");

        var start = Assert.IsType<TurnStart>(events[0]);
        Assert.Equal("Is the build green?", start.Prompt);
        Assert.Equal(turn.RequestId, start.RequestId);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        var init = Assert.Single(events.OfType<TurnInit>());
        Assert.Equal("claude-test", init.Model);
        Assert.Contains(init.McpServers, s => s.Name == "konui");
        Assert.Equal("The build is green and all 42 tests pass.", string.Concat(events.OfType<TextDelta>().Select(d => d.Text)));
        Assert.True(events.OfType<TextDelta>().Count() >= 2, "the answer should stream in pieces");
        Assert.Equal("The build is green and all 42 tests pass.", Assert.Single(events.OfType<AssistantBlock>()).Text);
        var result = Assert.Single(events.OfType<TurnResult>());
        Assert.False(result.IsError);
        Assert.Equal("success", result.Subtype);
        Assert.True(result.Usage!.OutputTokens > 0);
        var end = Assert.IsType<TurnEnd>(events[^1]);
        Assert.True(end.Success);
        Assert.Single(events, e => e.IsTerminal);
        Assert.True(end.Timing!.TotalMs > 0);
        Assert.True(end.Timing.TtfeMs > 0);
        Assert.True(end.CostUsd > 0);

        var asked = Rig.Model.Requests[^1];
        Assert.Equal(turn.RequestId, KonuiWithClaude.RequestIdIn(asked));
        Assert.Contains("konui_create_task", asked.SystemPrompt, StringComparison.Ordinal);
        Assert.True(asked.OffersTool("mcp__konui__konui_create_task"));
    }

    [Fact]
    public async Task Two_turns_on_one_session_share_one_claude_process()
    {
        Rig.Model.SetScript(request => ModelReply.Text($"Answer to: {request.LastUserText.Split('\n')[^1]}"));
        // A CLI is started for the session, or the session takes the spare CLI konsole keeps ready.
        int CliStarts() => Rig.Konui.Output.Count(l => l.Contains("Started claude", StringComparison.Ordinal) || l.Contains("takes the spare claude", StringComparison.Ordinal));
        var started = CliStarts();

        var (first, firstEvents) = await Rig.RunAsync("first question");
        var pid = KonuiWithClaude.ClaudeProcessOf(first.SessionId);
        var (second, secondEvents) = await Rig.RunAsync("second question", first.SessionId);

        Assert.Equal(first.SessionId, second.SessionId);
        Assert.NotEqual(first.TurnId, second.TurnId);
        Assert.True(Assert.IsType<TurnEnd>(firstEvents[^1]).Success);
        Assert.True(Assert.IsType<TurnEnd>(secondEvents[^1]).Success);
        Assert.Equal("Answer to: second question", string.Concat(secondEvents.OfType<TextDelta>().Select(d => d.Text)));
        Assert.NotNull(pid);
        Assert.Equal(pid, KonuiWithClaude.ClaudeProcessOf(first.SessionId));
        Assert.Equal(started + 1, CliStarts());
        Assert.Contains("first question", Rig.Model.Requests[^1].RawJson, StringComparison.Ordinal);

        var turns = await Rig.Konsole.GetSessionTurnsAsync(first.SessionId);
        Assert.Equal(["first question", "second question"], turns.Select(t => t.Prompt));
        Assert.All(turns, t => Assert.True(t.Success));
    }

    [Fact]
    public async Task A_tool_call_to_konui_create_task_lands_the_kontask_with_the_turns_request_id()
    {
        Rig.Model.SetScript(request => request.HasToolResult
            ? ModelReply.Text("I made a card for you.")
            : ModelReply.ToolUse("mcp__konui__konui_create_task", new JsonObject
            {
                ["title"] = "Dependency audit",
                ["requestId"] = KonuiWithClaude.RequestIdIn(request),
                ["context"] = new JsonObject { ["output"] = "<h3>3 outdated packages</h3>" },
            }, leadingText: "Let me make a card."));

        var (turn, events) = await Rig.RunAsync("Audit the dependencies");

        var toolUse = Assert.Single(events.OfType<AssistantBlock>(), b => b.BlockType == "tool_use");
        Assert.Equal("mcp__konui__konui_create_task", toolUse.ToolName);
        var toolResult = Assert.Single(events.OfType<ToolResult>());
        Assert.Equal(toolUse.ToolUseId, toolResult.ToolUseId);
        Assert.False(toolResult.IsError, toolResult.Content);
        Assert.Contains("\"success\":true", toolResult.Content, StringComparison.Ordinal);
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        Assert.Equal(1, Assert.IsType<TurnEnd>(events[^1]).Timing!.ToolCallCount);

        var line = File.ReadAllLines(Rig.Konui.KontasksFile).First(l => l.Contains("Dependency audit", StringComparison.Ordinal));
        Assert.Contains($"\"requestId\":\"{turn.RequestId}\"", line, StringComparison.Ordinal);
        Assert.Contains("claude-code", line, StringComparison.Ordinal);

        Assert.Equal(turn.TurnId, Assert.Single(await Rig.Konsole.FindTurnsAsync(turn.RequestId)).TurnId);
        var id = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("id").GetString();
        using var browser = new HttpClient();
        var page = await browser.GetStringAsync($"{Rig.Konui.BaseUrl}/kontasks/{id}");
        Assert.Contains("Original Request", page, StringComparison.Ordinal);
        Assert.Contains("Audit the dependencies</blockquote>", page, StringComparison.Ordinal);

        var end = Assert.IsType<TurnEnd>(events[^1]);
        for (var waited = 0; ; waited++)
        {
            var newest = File.ReadAllLines(Rig.Konui.KontasksFile).Last(l => l.Contains(id!, StringComparison.Ordinal));
            var timing = System.Text.Json.JsonDocument.Parse(newest).RootElement.GetProperty("context");
            if (timing.TryGetProperty("turnTiming", out var turnTiming))
            {
                Assert.Equal(end.Timing!.TotalMs, turnTiming.GetProperty("totalMs").GetDouble());
                Assert.Equal(1, turnTiming.GetProperty("toolCallCount").GetInt32());
                break;
            }
            Assert.True(waited < 50, "the kontask did not get its turn's timing within 5 s of the turn's end");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Stopping_a_streaming_turn_ends_it_as_stopped_and_the_session_takes_the_next_prompt()
    {
        Rig.Model.SetScript(request => request.LastUserText.Contains("long story", StringComparison.Ordinal)
            ? ModelReply.Text(string.Join(' ', Enumerable.Repeat("word", 60)), chunks: 60, delayBetweenChunks: TimeSpan.FromMilliseconds(100))
            : ModelReply.Text("Short answer."));
        var turn = await Rig.Konsole.StartTurnAsync(new(Prompt: "Tell me a long story"));

        var events = new List<TurnEvent>();
        var stopAt = DateTimeOffset.MinValue;
        await foreach (var e in Rig.Konsole.ReadEventsAsync(turn.TurnId))
        {
            events.Add(e);
            if (e is TextDelta && stopAt == DateTimeOffset.MinValue)
            {
                stopAt = DateTimeOffset.UtcNow;
                await Rig.Konsole.StopTurnAsync(turn.TurnId);
            }
        }

        var end = Assert.IsType<TurnEnd>(events[^1]);
        Assert.True(DateTimeOffset.UtcNow - stopAt < TimeSpan.FromSeconds(2), "the turn should stop within 2 s");
        Assert.False(end.Success);
        Assert.Equal("stopped by user", end.Error);
        var result = Assert.Single(events.OfType<TurnResult>());
        Assert.Equal("error_during_execution", result.Subtype);
        Assert.True(events.OfType<TextDelta>().Count() < 60);

        var (_, next) = await Rig.RunAsync("And now a short one", turn.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(next[^1]).Success);
        Assert.Equal("Short answer.", string.Concat(next.OfType<TextDelta>().Select(d => d.Text)));
    }

    [Fact]
    public async Task When_the_cli_is_killed_mid_turn_the_turn_ends_and_the_next_turn_resumes_the_session()
    {
        UseSlowCountingScript();
        var (first, _) = await Rig.RunAsync("Remember the word pineapple");
        await WaitForTranscriptAsync(first.SessionId, "pineapple");

        var killed = await KillMidTurnAsync(first.SessionId);

        var end = Assert.IsType<TurnEnd>(killed[^1]);
        Assert.False(end.Success);
        Assert.Contains("killed", end.Error, StringComparison.Ordinal);
        Assert.Single(killed, e => e.IsTerminal);

        var (_, next) = await Rig.RunAsync("Are you there?", first.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(next[^1]).Success, Assert.IsType<TurnEnd>(next[^1]).Error);
        Assert.Contains(Rig.Konui.Output, l => l.Contains($"session {first.SessionId}, resuming it", StringComparison.Ordinal));
        Assert.Contains("pineapple", Rig.Model.Requests[^1].RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_session_the_cli_had_not_saved_goes_on_in_a_new_conversation_and_says_so()
    {
        UseSlowCountingScript();
        var (first, _) = await Rig.RunAsync("Remember the word mango");
        await KillMidTurnAsync(first.SessionId);
        foreach (var transcript in Transcripts(first.SessionId)) File.Delete(transcript);

        var (_, next) = await Rig.RunAsync("Are you there?", first.SessionId);

        var end = Assert.IsType<TurnEnd>(next[^1]);
        Assert.True(end.Success, end.Error);
        Assert.Contains(next.OfType<TurnStatus>(), s => s.Status!.Contains("continues in a new one", StringComparison.Ordinal));
        Assert.Equal("Back again.", string.Concat(next.OfType<TextDelta>().Select(d => d.Text)));
        Assert.DoesNotContain("mango", Rig.Model.Requests[^1].RawJson, StringComparison.Ordinal);
    }

    private void UseSlowCountingScript() =>
        Rig.Model.SetScript(request => request.LastUserText.Contains("slowly", StringComparison.Ordinal)
            ? ModelReply.Text("one two three four five six seven eight", chunks: 8, delayBetweenChunks: TimeSpan.FromMilliseconds(300))
            : ModelReply.Text("Back again."));

    /// <summary>Starts a slow turn in the session and SIGKILLs its CLI at the first streamed word.</summary>
    private async Task<List<TurnEvent>> KillMidTurnAsync(string sessionId)
    {
        var turn = await Rig.Konsole.StartTurnAsync(new(Prompt: "Count slowly", SessionId: sessionId));
        var events = new List<TurnEvent>();
        await foreach (var e in Rig.Konsole.ReadEventsAsync(turn.TurnId))
        {
            events.Add(e);
            if (e is TextDelta && events.OfType<TextDelta>().Count() == 1)
            {
                System.Diagnostics.Process.GetProcessById(KonuiWithClaude.ClaudeProcessOf(sessionId)!.Value).Kill();
            }
        }
        return events;
    }

    private IEnumerable<string> Transcripts(string sessionId) =>
        Directory.EnumerateFiles(Path.Combine(Rig.Home, ".claude", "projects"), sessionId + ".jsonl", SearchOption.AllDirectories);

    /// <summary>The CLI saves its transcript a moment after a turn; resuming needs it saved.</summary>
    private async Task WaitForTranscriptAsync(string sessionId, string text)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            if (Transcripts(sessionId).Any(path => File.ReadAllText(path).Contains(text, StringComparison.Ordinal))) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Claude Code did not save session {sessionId} within 10 s");
    }

    [Fact]
    public async Task An_api_error_ends_the_turn_with_a_clear_error()
    {
        Rig.Model.SetScript(_ => ModelReply.ServerError("the model is on fire"));

        var (_, events) = await Rig.RunAsync("Anything");

        var end = Assert.IsType<TurnEnd>(events[^1]);
        Assert.False(end.Success);
        Assert.Contains("500", end.Error, StringComparison.Ordinal);
        Assert.True(Assert.Single(events.OfType<TurnResult>()).IsError);
    }

    [Fact]
    public async Task A_reader_that_drops_and_resumes_with_last_event_id_gets_exactly_the_events_of_an_uninterrupted_reader()
    {
        Rig.Model.SetScript(_ => ModelReply.Text(string.Join(' ', Enumerable.Range(1, 30)), chunks: 30, delayBetweenChunks: TimeSpan.FromMilliseconds(40)));
        var turn = await Rig.Konsole.StartTurnAsync(new(Prompt: "Count to thirty"));
        var whole = Rig.ReadAllAsync(turn.TurnId);

        var resumed = new List<TurnEvent>();
        using (var drop = new CancellationTokenSource())
        {
            try
            {
                await foreach (var e in Rig.Konsole.ReadEventsAsync(turn.TurnId, cancellationToken: drop.Token))
                {
                    resumed.Add(e);
                    if (resumed.OfType<TextDelta>().Count() == 5) await drop.CancelAsync();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
        Assert.False(resumed[^1].IsTerminal);
        await Task.Delay(300);
        resumed.AddRange(await Rig.ReadAllAsync(turn.TurnId, afterSeq: resumed[^1].Seq));

        Assert.Equal((await whole).Select(TurnEventJson.Serialize), resumed.Select(TurnEventJson.Serialize));
        Assert.Equal(Enumerable.Range(1, resumed.Count).Select(i => (long)i), resumed.Select(e => e.Seq));
    }
}
