using Konui.Blazor.Console;
using Konui.Blazor.Kontasks;
using Konui.Core.Kontasks;
using Konui.Core.Konsole;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Kontasks;

/// <summary>
/// A kontask gets its turn's timing when the turn ends, also when Konui never read that turn's end: the turn was started
/// by another konsole client and ended between two status polls, or the kontask was indexed after the end was read.
/// </summary>
public sealed class KontaskTurnTimingTests : KonuiComponentTest
{
    [Fact]
    public async Task A_kontask_landing_after_its_turn_ended_gets_the_turns_timing_and_one_of_an_unknown_turn_is_left_as_it_is()
    {
        Konsole.TurnsByRequestId["req_ended_unseen"] = [EndedTurn("req_ended_unseen", new TurnTiming { TotalMs = 4200, TtfeMs = 800, ToolCallCount = 2 })];
        var timings = Services.GetRequiredService<KontaskTurnTiming>();
        await timings.StartAsync(CancellationToken.None);
        try
        {
            Add("kt_unknown_turn", "From a turn konsole never ran", Now, k => k.RequestId = "req_elsewhere");
            Add("kt_late", "Release checklist", Now, k => k.RequestId = "req_ended_unseen");

            var timing = await WaitForTimingAsync("kt_late");
            Assert.Equal(4200, timing.TotalMs);
            Assert.Equal(800, timing.TtfeMs);
            Assert.Equal(2, timing.ToolCallCount);
            Assert.Equal("Release checklist", Store.Get("kt_late")!.Title);
            Assert.Null(Store.Get("kt_unknown_turn")!.Context?.TurnTiming);
        }
        finally
        {
            await timings.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_kontask_of_a_running_turn_gets_the_timing_once_the_console_reads_that_turns_end()
    {
        var script = new TurnScript("turn_running", "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f", "req_running", "Write the release notes", Now.AddSeconds(-10))
            .Init().Text("Writing them now");
        Konsole.AddTurn(script);
        script.End(true, 6300, 0.03);
        Konsole.EventsByTurnId["turn_running"] = [.. script.Events];
        var watch = Services.GetRequiredService<Konsoles>();
        var timings = Services.GetRequiredService<KontaskTurnTiming>();
        await timings.StartAsync(CancellationToken.None);
        await watch.StartAsync(CancellationToken.None);
        try
        {
            Add("kt_notes", "Release notes", Now, k => k.RequestId = "req_running");

            Assert.Equal(6300, (await WaitForTimingAsync("kt_notes")).TotalMs);
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
            await timings.StopAsync(CancellationToken.None);
        }
    }

    private async Task<TurnTiming> WaitForTimingAsync(string id)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            if (Store.Get(id)?.Context?.TurnTiming is { } timing) return timing;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Kontask {id} did not get its turn's timing within 5 s.");
    }

    private static TurnSummary EndedTurn(string requestId, TurnTiming timing) =>
        new("turn_unseen", "5b0f8c1e-3d6a-4c39-9a51-0c2f4e7d8a10", requestId, "Draft the release checklist", Now.AddMinutes(-2), Now.AddMinutes(-1),
            TurnState.Ended, true, null, "claude-sonnet-4-5", 0.02, null, timing, 42);
}
