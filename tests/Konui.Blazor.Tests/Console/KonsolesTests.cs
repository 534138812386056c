using Konui.Blazor.Console;
using Konui.Core.Events;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Konui.Blazor.Tests.Console;

/// <summary>The registry of machines: local and the others, added and removed while Konui runs, and where each session lives.</summary>
public sealed class KonsolesTests : IDisposable
{
    private const string LocalSession = "0a6f7c52-1111-4c1e-9a53-3c1b2f0e4a01";
    private const string FarSession = "5b2e9d40-2222-4c1e-9a53-3c1b2f0e4a02";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly FakeKonsole _local = new();
    private readonly FakeKonsole _far = new();
    private readonly FakeMachines _machines;
    private readonly FakeTimeProvider _time = new(Now);
    private readonly EventBus _bus = new();
    private readonly Konsoles _konsoles;

    public KonsolesTests()
    {
        _machines = new FakeMachines(_local);
        _konsoles = new Konsoles([new KonsoleHost { Name = Konsoles.LocalName, Url = "http://konsole.test/" }, _machines.Add("far", _far, "far-secret")],
            _machines, _bus, _time, NullLoggerFactory.Instance);
    }

    [Fact]
    public async Task Machines_are_added_and_removed_while_Konui_runs_and_each_change_is_told()
    {
        var changes = 0;
        _konsoles.MachinesChanged += () => changes++;
        var laptop = _machines.Add("laptop", new FakeKonsole());

        var added = _konsoles.Add(laptop);

        Assert.Equal(["local", "far", "laptop"], _konsoles.All.Select(m => m.Name));
        Assert.Same(added, _konsoles.Find("LAPTOP"));
        Assert.Equal(1, changes);
        var twice = Assert.Throws<ArgumentException>(() => _konsoles.Add(new KonsoleHost { Name = "far", Url = "http://elsewhere:8020" }));
        Assert.StartsWith("A konsole named \"far\" is there already.", twice.Message, StringComparison.Ordinal);
        var notAnAddress = Assert.Throws<ArgumentException>(() => _konsoles.Add(new KonsoleHost { Name = "ci", Url = "not an address" }));
        Assert.Contains("is not an absolute http or https address", notAnAddress.Message, StringComparison.Ordinal);
        Assert.Equal(1, changes);

        Assert.True(await _konsoles.RemoveAsync("laptop"));
        Assert.False(await _konsoles.RemoveAsync("laptop"));
        Assert.False(await _konsoles.RemoveAsync("local"));
        Assert.Equal(["local", "far"], _konsoles.All.Select(m => m.Name));
        Assert.Equal(2, changes);
    }

    [Fact]
    public async Task A_session_is_found_on_the_machine_whose_konsole_knows_it_and_then_known()
    {
        _far.SessionStatuses[FarSession] = Status(FarSession);

        Assert.Null(_konsoles.MachineOf(FarSession));
        Assert.Equal("far", (await _konsoles.FindAsync(FarSession))?.Name);
        _far.Unreachable = "gone";
        Assert.Equal("far", _konsoles.MachineOf(FarSession)?.Name);
        Assert.Null(await _konsoles.FindAsync(LocalSession));
        Assert.Equal("local", (await _konsoles.ForSessionAsync(LocalSession)).Name);
    }

    [Fact]
    public async Task A_removed_machine_takes_its_sessions_with_it()
    {
        _far.SessionStatuses[FarSession] = Status(FarSession);
        await _konsoles.FindAsync(FarSession);

        await _konsoles.RemoveAsync("far");

        Assert.Equal("local", _konsoles.MachineOf(FarSession)?.Name); // one machine left: every session is asked of it
    }

    [Fact]
    public async Task Every_machines_sessions_come_newest_first_with_their_machine_and_a_silent_machine_is_named()
    {
        _local.Sessions.Add(Summary(LocalSession, Now.AddHours(-1)));
        _far.Sessions.Add(Summary(FarSession, Now));

        var both = await _konsoles.GetSessionsAsync();
        Assert.Equal([(FarSession, "far"), (LocalSession, "local")], both.Items.Select(s => (s.Item.SessionId, s.Machine.Name)));
        Assert.Empty(both.Problems);
        Assert.Equal("far", _konsoles.MachineOf(FarSession)?.Name);

        _far.Unreachable = "Connection refused (far.test:80)";
        var one = await _konsoles.GetSessionsAsync();
        Assert.Equal([LocalSession], one.Items.Select(s => s.Item.SessionId));
        Assert.Equal("Connection refused (far.test:80)", one.Problems["far"]);
        Assert.Null(one.Failure(2));
        _local.Unreachable = "Connection refused (konsole.test:80)";
        Assert.Equal("local: Connection refused (konsole.test:80); far: Connection refused (far.test:80)", (await _konsoles.GetSessionsAsync()).Failure(2));
    }

    [Fact]
    public async Task Each_machine_is_asked_with_its_own_token_and_no_other()
    {
        await _konsoles.GetSessionsAsync();

        Assert.Equal("Bearer far-secret", _machines.Asked.Single(a => a.Host == "far.test").Authorization);
        Assert.Equal("", _machines.Asked.Single(a => a.Host == "konsole.test").Authorization);
    }

    [Fact]
    public async Task A_machine_running_a_turn_is_known_as_its_sessions_machine_and_its_readers_publish_on_the_bus()
    {
        var script = new TurnScript("turn_far", FarSession, "req_far", "Build it", Now).Init().Text("Building").End(true, 900, 0.01);
        _far.AddTurn(script);
        _far.Status = _far.Status with { ActiveTurns = [new ActiveTurn("turn_far", FarSession, TurnState.Running, Now, 100)] };
        var ended = new TaskCompletionSource<TurnEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = _bus.SubscribeSession(FarSession, 0, e =>
        {
            if (e.Event is TurnEnd end) ended.TrySetResult(end);
            return Task.CompletedTask;
        });

        await _konsoles.StartAsync(CancellationToken.None);
        try
        {
            Assert.True((await ended.Task.WaitAsync(TimeSpan.FromSeconds(10))).Success);
            Assert.Equal("far", _konsoles.MachineOf(FarSession)?.Name);
            Assert.Equal([("far", "turn_far")], _konsoles.ActiveTurns.Select(a => (a.Machine.Name, a.Turn.TurnId)));
        }
        finally
        {
            await _konsoles.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_reader_waits_for_an_unreachable_machine_however_long_and_resumes_after_the_last_event_it_read()
    {
        var script = new TurnScript("turn_far", FarSession, "req_far", "Build it", Now).Init().Text("Building the release");
        _far.AddTurn(script);
        _far.Status = _far.Status with { ActiveTurns = [new ActiveTurn("turn_far", FarSession, TurnState.Running, Now, 100)] };
        var published = new System.Collections.Concurrent.ConcurrentQueue<TurnEvent>();
        using var _ = _bus.SubscribeSession(FarSession, 0, e =>
        {
            published.Enqueue(e.Event);
            return Task.CompletedTask;
        });
        await _konsoles.StartAsync(CancellationToken.None);
        try
        {
            await Until(() => published.Count == script.Events.Count, "the events so far");
            _far.Unreachable = "Connection refused (far.test:80)";

            // Far more tries than a reader makes for a konsole that answers but cannot resume the stream (40).
            await Until(() => _far.RefusedEventReads > 60, "the reader to keep trying", advance: true);
            var far = _konsoles.Find("far")!;
            Assert.True(far.IsOffline);
            Assert.NotNull(far.Watch.OfflineSince);
            Assert.Equal("Konsole does not answer: Connection refused (far.test:80)", far.Watch.Problem);
            Assert.DoesNotContain(published, e => e is TurnEnd);

            script.End(true, 120_000, 0.02);
            _far.EventsByTurnId["turn_far"] = [.. script.Events];
            _far.Unreachable = null;
            await Until(() => published.Any(e => e is TurnEnd), "the turn's end", advance: true);

            Assert.Equal(Enumerable.Range(1, script.Events.Count).Select(i => (long)i), published.Select(e => e.Seq));
            Assert.True(((TurnEnd)published.Last()).Success);
            Assert.False(far.IsOffline);
        }
        finally
        {
            await _konsoles.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Waits (on the fake clock, a second per step, when <paramref name="advance"/>) until the condition holds.</summary>
    private async Task Until(Func<bool> condition, string what, bool advance = false)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"Waited 30 s for {what}.");
            if (advance) _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }

    private static SessionStatus Status(string sessionId) => new(sessionId, PermissionModes.Default, "claude-test", [], [], null, [], false);

    private static SessionSummary Summary(string sessionId, DateTimeOffset last) => new(sessionId, "Do it", 1, last.AddMinutes(-5), last, null, 0.01, 100, 10);

    public void Dispose() => _konsoles.Dispose();
}
