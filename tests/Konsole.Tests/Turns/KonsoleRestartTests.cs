using System.Diagnostics;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

/// <summary>No turn is left running forever: not when konsole shuts down, not when it dies.</summary>
public sealed class KonsoleRestartTests : IAsyncLifetime
{
    private KonuiWithClaude _rig = null!;

    public async Task InitializeAsync()
    {
        _rig = await KonuiWithClaude.StartAsync();
        _rig.Model.SetScript(request => request.LastUserText.Contains("very slowly", StringComparison.Ordinal)
            ? ModelReply.Text(string.Join(' ', Enumerable.Range(1, 300)), chunks: 300, delayBetweenChunks: TimeSpan.FromMilliseconds(200))
            : request.LastUserText.Contains("slowly", StringComparison.Ordinal)
            ? ModelReply.Text(string.Join(' ', Enumerable.Range(1, 40)), chunks: 40, delayBetweenChunks: TimeSpan.FromMilliseconds(200))
            : ModelReply.Text("Still here."));
    }

    public Task DisposeAsync() => _rig is null ? Task.CompletedTask : _rig.DisposeAsync().AsTask();

    private async Task<(Konui.Core.Konsole.TurnAccepted Turn, long Seen)> StartCountingAsync(string prompt = "Count slowly")
    {
        var turn = await _rig.Konsole.StartTurnAsync(new(Prompt: prompt));
        long seen = 0;
        await foreach (var e in _rig.Konsole.ReadEventsAsync(turn.TurnId))
        {
            seen = e.Seq;
            if (e is TextDelta) break;
        }
        return (turn, seen);
    }

    [Fact]
    public async Task A_turn_running_when_konsole_shuts_down_ends_as_interrupted_and_its_history_survives()
    {
        var (turn, seen) = await StartCountingAsync();

        await _rig.Konui.RestartAsync();

        var events = await _rig.ReadAllAsync(turn.TurnId);
        var end = Assert.IsType<TurnEnd>(events[^1]);
        Assert.False(end.Success);
        Assert.Equal("interrupted: konsole shut down", end.Error);
        Assert.Single(events, e => e.IsTerminal);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.True(events.Count > seen);
        Assert.Contains(events, e => e is TextDelta);

        var (_, next) = await _rig.RunAsync("Hello again", turn.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(next[^1]).Success, Assert.IsType<TurnEnd>(next[^1]).Error);
        Assert.Empty((await _rig.Konsole.GetStatusAsync()).ActiveTurns);
    }

    [Fact]
    public async Task Konsole_shuts_down_cleanly_when_its_clis_are_already_gone()
    {
        var sessions = new List<string>();
        for (var i = 0; i < 4; i++) sessions.Add((await StartCountingAsync()).Turn.SessionId);
        var clis = sessions.Select(s => KonuiWithClaude.ClaudeProcessOf(s) ?? throw new InvalidOperationException($"no CLI runs for session {s}")).ToList();

        // As a SIGTERM to the whole process group does: the CLIs go down while konsole starts shutting down.
        foreach (var pid in clis) Signal("-TERM", pid);
        await _rig.Konui.StopAsync();

        Assert.DoesNotContain(_rig.Konui.Output, line => line.Contains("Unhandled exception", StringComparison.Ordinal));
        Assert.Equal(0, _rig.Konui.ExitCode);
    }

    [Fact]
    public async Task Killing_konui_mid_turn_takes_its_cli_with_it_and_the_session_goes_on_with_one_cli()
    {
        var (turn, _) = await StartCountingAsync("Count very slowly");
        Assert.Single(KonuiWithClaude.ClaudeProcessesOf(turn.SessionId));

        await _rig.Konui.KillAsync();

        Assert.True(await KonuiWithClaude.NoClaudeProcessWithinAsync(turn.SessionId, TimeSpan.FromSeconds(10)),
            "the CLI outlived the konsole that ran it (kill -9 of Konui mid-turn)");
        await _rig.Konui.StartAgainAsync();
        var (_, next) = await _rig.RunAsync("Hello again", turn.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(next[^1]).Success, Assert.IsType<TurnEnd>(next[^1]).Error);
        Assert.Single(KonuiWithClaude.ClaudeProcessesOf(turn.SessionId));
    }

    [Fact]
    public async Task A_cli_an_earlier_konsole_left_running_is_stopped_on_start_but_a_process_that_reused_a_recorded_pid_is_not()
    {
        await _rig.Konui.StopAsync();
        var records = Path.Combine(_rig.Konui.DataDir, "cli");
        using var leftover = Process.Start("sleep", ["300"]);
        using var stranger = Process.Start("sleep", ["300"]);
        try
        {
            // The leftover stands in for a CLI whose konsole was killed; the stranger has the pid of a CLI on record,
            // but started after it (a reused pid), so its start time does not match the record's.
            new RunningClis(records).Record(leftover.Id, "session-a");
            File.WriteAllText(Path.Combine(records, stranger.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "1 session-b\n");

            await _rig.Konui.StartAgainAsync();

            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await leftover.WaitForExitAsync(stopped.Token);
            Assert.False(stranger.HasExited);
            // The spare CLI the restarted konsole keeps has a record of its own.
            Assert.DoesNotContain(Directory.EnumerateFiles(records).Select(Path.GetFileName), name => name == leftover.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) || name == stranger.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(_rig.Konui.Output, line => line.Contains($"claude (pid {leftover.Id}) for session session-a outlived the konsole that ran it", StringComparison.Ordinal));
        }
        finally
        {
            stranger.Kill();
            leftover.Kill();
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    [Fact]
    public async Task A_turn_running_when_konsole_dies_is_closed_as_interrupted_when_it_starts_again()
    {
        var (turn, _) = await StartCountingAsync();

        await _rig.Konui.KillAsync();
        await _rig.Konui.StartAgainAsync();

        var events = await _rig.ReadAllAsync(turn.TurnId);
        var end = Assert.IsType<TurnEnd>(events[^1]);
        Assert.False(end.Success);
        Assert.Equal("interrupted: konsole restarted", end.Error);
        Assert.Single(events, e => e.IsTerminal);
        Assert.Contains(events, e => e is TextDelta);
        var summary = await _rig.Konsole.GetTurnAsync(turn.TurnId);
        Assert.Equal(Konui.Core.Konsole.TurnState.Ended, summary.State);
        Assert.Empty((await _rig.Konsole.GetStatusAsync()).ActiveTurns);
        var session = Assert.Single(await _rig.Konsole.GetSessionsAsync(), s => s.SessionId == turn.SessionId);
        Assert.Null(session.RunningTurnId);
        Assert.Equal("Count slowly", session.FirstPrompt);
    }
}
