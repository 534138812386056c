using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Konsole.Tests.Turns;

/// <summary>
/// The spare CLI: konsole keeps one real CLI started and idle, and a new session's first prompt goes to it instead of
/// waiting for a CLI to start. Each test has a Konui of its own: the spare is konsole-wide.
/// </summary>
public sealed partial class SpareCliTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_new_sessions_first_turn_runs_on_the_spare_and_another_spare_replaces_it()
    {
        await using var rig = await KonuiWithClaude.StartAsync();
        rig.Model.SetScript(request => ModelReply.Text($"Answer to: {request.LastUserText.Split('\n')[^1]}"));
        var spare = await ReadySpareAsync(rig, 0);

        var (first, events) = await rig.RunAsync("first question");

        Assert.Equal(spare.Session, first.SessionId);
        Assert.Equal(spare.Pid, KonuiWithClaude.ClaudeProcessOf(first.SessionId));
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success, Assert.IsType<TurnEnd>(events[^1]).Error);
        Assert.Equal("Answer to: first question", string.Concat(events.OfType<TextDelta>().Select(d => d.Text)));
        Assert.Equal(PermissionModes.Default, events.OfType<TurnInit>().Single().PermissionMode);
        Assert.Contains(rig.Konui.Output, l => l.Contains($"New session {first.SessionId} takes the spare claude (pid {spare.Pid})", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.Konui.Output, l => l.Contains($"Started claude (pid {spare.Pid})", StringComparison.Ordinal));

        var next = await ReadySpareAsync(rig, 1);
        Assert.NotEqual(spare.Session, next.Session);
        Assert.NotEqual(spare.Pid, next.Pid);

        var (second, secondEvents) = await rig.RunAsync("second question");
        Assert.Equal(next.Session, second.SessionId);
        Assert.Equal(next.Pid, KonuiWithClaude.ClaudeProcessOf(second.SessionId));
        Assert.True(Assert.IsType<TurnEnd>(secondEvents[^1]).Success);
        var asked = rig.Model.Requests[^1];
        Assert.DoesNotContain("first question", asked.RawJson, StringComparison.Ordinal);

        var (again, againEvents) = await rig.RunAsync("and a follow-up", first.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(againEvents[^1]).Success);
        Assert.Equal(spare.Pid, KonuiWithClaude.ClaudeProcessOf(again.SessionId));
        Assert.Contains("first question", rig.Model.Requests[^1].RawJson, StringComparison.Ordinal);
        Assert.DoesNotContain("second question", rig.Model.Requests[^1].RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spare_made_for_another_mode_or_model_is_stopped_and_the_next_is_made_as_the_last_new_session()
    {
        await using var rig = await KonuiWithClaude.StartAsync();
        rig.Model.SetScript(_ => ModelReply.Text("Noted."));
        var spare = await ReadySpareAsync(rig, 0);

        var planned = await rig.Konsole.StartTurnAsync(new TurnRequest("Plan something", Mode: PermissionModes.Plan));
        var planEvents = await rig.ReadAllAsync(planned.TurnId);

        Assert.NotEqual(spare.Session, planned.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(planEvents[^1]).Success, Assert.IsType<TurnEnd>(planEvents[^1]).Error);
        Assert.Equal(PermissionModes.Plan, planEvents.OfType<TurnInit>().Single().PermissionMode);
        Assert.Equal(PermissionModes.Plan, (await rig.Konsole.GetSessionAsync(planned.SessionId)).PermissionMode);
        Assert.Contains(rig.Konui.Output, l => l.Contains($"Stopping the spare claude (pid {spare.Pid}): a new session wants", StringComparison.Ordinal));
        await GoneAsync(spare.Pid);
        Assert.DoesNotContain(await rig.Konsole.GetCliSessionsAsync(), s => s.SessionId == spare.Session);
        Assert.DoesNotContain(await rig.Konsole.GetSessionsAsync(), s => s.SessionId == spare.Session);

        var planSpare = await ReadySpareAsync(rig, 1);
        Assert.Contains("--permission-mode=plan", await CommandLineAsync(planSpare.Pid), StringComparison.Ordinal);
        var planAgain = await rig.Konsole.StartTurnAsync(new TurnRequest("Plan more", Mode: PermissionModes.Plan));
        Assert.Equal(planSpare.Session, planAgain.SessionId);
        Assert.Equal(PermissionModes.Plan, (await rig.ReadAllAsync(planAgain.TurnId)).OfType<TurnInit>().Single().PermissionMode);

        var modelSpare = await ReadySpareAsync(rig, 2);
        var other = await rig.Konsole.StartTurnAsync(new TurnRequest("Another model", Model: "claude-other"));
        var otherEvents = await rig.ReadAllAsync(other.TurnId);
        Assert.NotEqual(modelSpare.Session, other.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(otherEvents[^1]).Success);
        Assert.Equal("claude-other", rig.Model.Requests[^1].Model);
        Assert.Equal(("claude-other", PermissionModes.Default), ((await rig.Konsole.GetSessionAsync(other.SessionId)).Model, otherEvents.OfType<TurnInit>().Single().PermissionMode));
        await GoneAsync(modelSpare.Pid);
        var otherSpare = await ReadySpareAsync(rig, 3);
        Assert.Contains("--model=claude-other", await CommandLineAsync(otherSpare.Pid), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_defaults_for_new_sessions_replace_the_spare_and_a_new_session_takes_one_made_with_them()
    {
        await using var rig = await KonuiWithClaude.StartAsync();
        rig.Model.SetScript(_ => ModelReply.Text("Noted."));
        var spare = await ReadySpareAsync(rig, 0);

        await rig.Konsole.SetDefaultsAsync(new SessionDefaults(PermissionModes.AcceptEdits, "claude-other"));

        await GoneAsync(spare.Pid);
        var withDefaults = await ReadySpareAsync(rig, 1);
        var commandLine = await CommandLineAsync(withDefaults.Pid);
        Assert.Contains("--permission-mode=acceptEdits", commandLine, StringComparison.Ordinal);
        Assert.Contains("--model=claude-other", commandLine, StringComparison.Ordinal);
        var (turn, events) = await rig.RunAsync("With the new defaults");
        Assert.Equal(withDefaults.Session, turn.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success, Assert.IsType<TurnEnd>(events[^1]).Error);
        Assert.Equal(PermissionModes.AcceptEdits, events.OfType<TurnInit>().Single().PermissionMode);
        Assert.Equal("claude-other", rig.Model.Requests[^1].Model);
        var session = await rig.Konsole.GetSessionAsync(turn.SessionId);
        Assert.Equal((PermissionModes.AcceptEdits, "claude-other"), (session.PermissionMode, session.Model));
    }

    [Fact]
    public async Task A_new_sessions_model_and_mode_are_checked_and_only_a_new_session_names_them()
    {
        await using var rig = await KonuiWithClaude.StartAsync();
        rig.Model.SetScript(_ => ModelReply.Text("Noted."));
        var (first, _) = await rig.RunAsync("A session");

        var badMode = await Assert.ThrowsAsync<KonsoleException>(() => rig.Konsole.StartTurnAsync(new TurnRequest("x", Mode: "yolo")));
        var bypass = await Assert.ThrowsAsync<KonsoleException>(() => rig.Konsole.StartTurnAsync(new TurnRequest("x", Mode: PermissionModes.BypassPermissions)));
        var badModel = await Assert.ThrowsAsync<KonsoleException>(() => rig.Konsole.StartTurnAsync(new TurnRequest("x", Model: "--dangerously-skip-permissions x")));
        var existing = await Assert.ThrowsAsync<KonsoleException>(() => rig.Konsole.StartTurnAsync(new TurnRequest("x", first.SessionId, Mode: PermissionModes.Plan)));

        Assert.All([badMode, bypass, badModel, existing], e => Assert.Equal(HttpStatusCode.BadRequest, e.Status));
        Assert.Contains("default, acceptEdits, plan, bypassPermissions", badMode.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-dangerously-skip-permissions", bypass.Message, StringComparison.Ordinal);
        Assert.Contains("/api/konsole/sessions/{sessionId}/mode", existing.Message, StringComparison.Ordinal);
        Assert.Single(await rig.Konsole.GetSessionsAsync());
    }

    [Fact]
    public async Task Stopping_konsole_stops_the_spare()
    {
        await using var rig = await KonuiWithClaude.StartAsync();
        var spare = await ReadySpareAsync(rig, 0);

        await rig.Konui.StopAsync();

        Assert.Contains(rig.Konui.Output, l => l.Contains($"Stopping the spare claude (pid {spare.Pid}): konsole is stopping", StringComparison.Ordinal));
        await GoneAsync(spare.Pid);
    }

    [Fact]
    public async Task Without_a_spare_a_new_session_starts_its_own_cli()
    {
        await using var rig = await KonuiWithClaude.StartAsync(settings: new Dictionary<string, string> { ["Konsole__KeepSpare"] = "false" });
        rig.Model.SetScript(_ => ModelReply.Text("Noted."));

        var (turn, events) = await rig.RunAsync("No spare here");

        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        Assert.Contains(rig.Konui.Output, l => l.Contains($"Started claude (pid {KonuiWithClaude.ClaudeProcessOf(turn.SessionId)}) for session {turn.SessionId}", StringComparison.Ordinal));
        Assert.DoesNotContain(rig.Konui.Output, l => l.Contains("spare claude", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_first_spare_is_started_only_some_seconds_after_konsole_so_that_it_does_not_slow_the_first_pages()
    {
        using var folder = new ScratchFolder("konsole-first-spare");
        var started = Path.Combine(folder.Path, "started");
        var claude = Path.Combine(folder.Path, "claude");
        await File.WriteAllTextAsync(claude, $"#!/bin/sh\necho started >> '{started}'\n");
        File.SetUnixFileMode(claude, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new KonsoleOptions { ClaudePath = claude, DataDir = folder.Path, WorkingDirectory = folder.Path };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var spares = new SpareCli(options, new ClaudeCli(options), new SessionDefaultsFile(options, NullLogger<SessionDefaultsFile>.Instance), time,
            NullLogger<SpareCli>.Instance);

        await spares.StartedAsync(CancellationToken.None);
        await Task.Delay(500);
        time.Advance(SpareCli.FirstSpareAfter - TimeSpan.FromMilliseconds(1));
        await Task.Delay(500);
        Assert.False(File.Exists(started), "the spare CLI was started before konsole had been up for " + SpareCli.FirstSpareAfter);

        time.Advance(TimeSpan.FromMilliseconds(1));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!File.Exists(started))
        {
            Assert.True(DateTime.UtcNow < deadline, "no spare CLI was started once konsole had been up for " + SpareCli.FirstSpareAfter);
            await Task.Delay(50);
        }
        await spares.StopAsync(CancellationToken.None);
    }

    /// <summary>The <paramref name="index"/>-th spare (0: the first) once it is ready: its pid and session id, from konsole's log.</summary>
    private static async Task<(int Pid, string Session)> ReadySpareAsync(KonuiWithClaude rig, int index)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var ready = rig.Konui.Output.Select(l => SpareReady().Match(l)).Where(m => m.Success).ToList();
            if (ready.Count > index) return (int.Parse(ready[index].Groups[1].Value, CultureInfo.InvariantCulture), ready[index].Groups[2].Value);
            Assert.True(DateTime.UtcNow < deadline, $"spare {index} was not ready within {Patience}:\n" + string.Join('\n', rig.Konui.Output.TakeLast(40)));
            await Task.Delay(100);
        }
    }

    private static async Task GoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Runs(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"claude (pid {pid}) still runs");
            await Task.Delay(100);
        }
    }

    /// <summary>Whether the process runs: it exists and is not a zombie waiting for its parent.</summary>
    private static bool Runs(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<string> CommandLineAsync(int pid) => (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');

    [GeneratedRegex(@"Spare claude \(pid (\d+), session ([0-9a-f-]{36})\) ready for a new session")]
    private static partial Regex SpareReady();
}
