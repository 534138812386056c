using System.Net;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

/// <summary>Prompts sent while a turn runs wait behind it, in order, and konsole sends them one by one as turns end.</summary>
public sealed class PromptQueueTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    [Fact]
    public async Task Two_queued_prompts_run_in_order_after_the_turn_and_a_prompt_without_queue_is_refused()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Rig.Model.SetScript(async (request, cancel) =>
        {
            if (request.LastUserText.EndsWith("hold on", StringComparison.Ordinal)) await release.Task.WaitAsync(cancel);
            return ModelReply.Text($"Done: {request.LastUserText.Split('\n')[^1]}");
        });
        var running = await Rig.Konsole.StartTurnAsync(new TurnRequest("hold on"));
        await Rig.Model.WaitForRequestAsync(r => r.LastUserText.EndsWith("hold on", StringComparison.Ordinal));

        var second = await Rig.Konsole.QueueTurnAsync(new TurnRequest("second", running.SessionId, RequestId: "req_queued_second"));
        var third = await Rig.Konsole.QueueTurnAsync(new TurnRequest("thrid", running.SessionId));
        var refused = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.StartTurnAsync(new TurnRequest("not queued", running.SessionId)));

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(running.TurnId, refused.RunningTurnId);
        Assert.Contains("\"queue\": true", refused.Message, StringComparison.Ordinal);
        Assert.Null(second.TurnId);
        Assert.Equal(("req_queued_second", running.SessionId), (second.Queued!.RequestId, second.Queued.SessionId));
        Assert.Equal(["second", "thrid"], (await Rig.Konsole.GetQueueAsync(running.SessionId)).Select(q => q.Prompt));
        var edited = await Rig.Konsole.EditQueuedAsync(running.SessionId, third.Queued!.QueuedId, "third");
        Assert.Equal("third", edited.Prompt);
        Assert.Equal(2, (await Rig.Konsole.GetSessionsAsync()).Single(s => s.SessionId == running.SessionId).QueuedPrompts);

        release.SetResult();

        var turns = await WaitForTurnsAsync(running.SessionId, 3);
        Assert.Equal(["hold on", "second", "third"], turns.Select(t => t.Prompt));
        Assert.All(turns, t => Assert.True(t.Success, t.Error));
        Assert.Equal("req_queued_second", turns[1].RequestId);
        Assert.True(turns[1].StartedAt >= turns[0].EndedAt && turns[2].StartedAt >= turns[1].EndedAt, "each starts after the one before ended");
        Assert.Equal("Done: third", string.Concat((await Rig.ReadAllAsync(turns[2].TurnId)).OfType<TextDelta>().Select(d => d.Text)));
        Assert.Empty(await Rig.Konsole.GetQueueAsync(running.SessionId));
        var started = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.EditQueuedAsync(running.SessionId, third.Queued.QueuedId, "too late"));
        Assert.Equal(HttpStatusCode.Conflict, started.Status);
        Assert.Contains($"it started as turn {turns[2].TurnId}", started.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_prompt_never_runs_and_an_idle_session_starts_a_queued_prompt_at_once()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Rig.Model.SetScript(async (request, cancel) =>
        {
            if (request.LastUserText.EndsWith("wait here", StringComparison.Ordinal)) await release.Task.WaitAsync(cancel);
            return ModelReply.Text("ok");
        });
        var running = await Rig.Konsole.StartTurnAsync(new TurnRequest("wait here"));
        var dropped = await Rig.Konsole.QueueTurnAsync(new TurnRequest("never mind", running.SessionId));
        await Rig.Konsole.QueueTurnAsync(new TurnRequest("this one", running.SessionId));

        await Rig.Konsole.RemoveQueuedAsync(running.SessionId, dropped.Queued!.QueuedId);
        release.SetResult();

        var turns = await WaitForTurnsAsync(running.SessionId, 2);
        Assert.Equal(["wait here", "this one"], turns.Select(t => t.Prompt));
        var idle = await Rig.Konsole.QueueTurnAsync(new TurnRequest("right away", running.SessionId));
        Assert.NotNull(idle.TurnId);
        Assert.Null(idle.Queued);
        Assert.True(Assert.IsType<TurnEnd>((await Rig.ReadAllAsync(idle.TurnId!))[^1]).Success);
        Assert.DoesNotContain(Rig.Model.Requests, r => r.LastUserText.EndsWith("never mind", StringComparison.Ordinal));
    }

    private async Task<IReadOnlyList<TurnSummary>> WaitForTurnsAsync(string sessionId, int count)
    {
        for (var waited = 0; ; waited++)
        {
            var turns = await Rig.Konsole.GetSessionTurnsAsync(sessionId);
            if (turns.Count >= count && turns.All(t => t.State == TurnState.Ended)) return turns;
            Assert.True(waited < 600, $"the session's {count} turns did not all end within 60 s: {string.Join(", ", turns.Select(t => $"{t.Prompt} {t.State}"))}");
            await Task.Delay(100);
        }
    }
}
