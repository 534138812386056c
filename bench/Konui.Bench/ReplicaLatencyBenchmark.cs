using System.Collections.Concurrent;
using System.Diagnostics;
using Konui.Blazor.Console;
using Konui.Blazor.Replicas;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using Konui.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Konui.Bench;

/// <summary>
/// Benchmark 15 (issue 15): what Redis adds between replicas. Two replicas (each its own bus, kontask store, Redis
/// connection, outbox, kontask feed and turn-event relay: the classes Konui runs) in this process, on one real
/// redis-server started on a free port. A kontask appended to A's store (KontaskStore.Append, the MCP tools' path):
/// latency to KontaskReady on A's own bus (inside one process) and on B's bus (through Redis). A turn event published
/// on A's bus (as A's konsole reader does): latency to a session subscriber on A's bus and on B's bus. Both figures
/// of a pair come from the same appends, in the same run. Kontasks come one every 20 ms, turn events (streamed words)
/// one every 20 ms. Then the team of docs/scale.md: 200 sessions streaming 20 events a second each on A, for 10 s.
/// </summary>
internal static class ReplicaLatencyBenchmark
{
    public const string Name = "replica-latency";
    private const int WarmUp = 50;
    private const int Samples = 1000;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync()
    {
        await using var redis = await RedisServer.StartAsync();
        using var folder = new ScratchFolder("konui-bench-" + Name);
        await using var a = await Replica.StartAsync(Path.Combine(folder.Path, "a"), redis.ConnectionString);
        await using var b = await Replica.StartAsync(Path.Combine(folder.Path, "b"), redis.ConnectionString);
        MachineLoad.WaitForQuiet();
        var load = MachineLoad.Now();
        Console.WriteLine($"{Samples} of each after {WarmUp} warm-up ones, one every {Pace.TotalMilliseconds:0} ms; redis-server {(await redis.CommandAsync("INFO", "server")).Split('\n').First(l => l.StartsWith("redis_version", StringComparison.Ordinal)).Trim()} on loopback.");
        Console.WriteLine();
        Console.WriteLine("| what | inside one process (A's bus) p50 | p99 | through Redis (B's bus) p50 | p99 | max | added p99 | missed (> 5 s) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var (kontaskHere, kontaskThere, kontaskMissed) = await MeasureKontasksAsync(a, b);
        Row("kontask appended -> KontaskReady", kontaskHere, kontaskThere, kontaskMissed);
        var (turnHere, turnThere, turnMissed) = await MeasureTurnEventsAsync(a, b);
        Row("turn event -> session subscriber", turnHere, turnThere, turnMissed);
        Console.WriteLine();
        await MeasureTeamLoadAsync(a, b, redis);
        Console.WriteLine();
        Console.WriteLine($"Target: p99 at most 20 ms added. Machine busy {MachineLoad.Now().BusyPercentSince(load):0}% of its CPUs meanwhile (this process included).");
        Console.WriteLine();
        Console.WriteLine("What Redis holds (MEMORY USAGE, bytes):");
        Console.WriteLine();
        Console.WriteLine($"- the kontask feed, {(await redis.CommandAsync("XLEN", RedisKeys.Kontasks)).Trim()} entries: {(await redis.CommandAsync("MEMORY", "USAGE", RedisKeys.Kontasks, "SAMPLES", "0")).Trim()}");
        Console.WriteLine($"- one session's stream, {(await redis.CommandAsync("XLEN", RedisKeys.SessionEvents(Session))).Trim()} text deltas: {(await redis.CommandAsync("MEMORY", "USAGE", RedisKeys.SessionEvents(Session), "SAMPLES", "0")).Trim()}");
        Console.WriteLine($"- used_memory after the run: {(await redis.CommandAsync("INFO", "memory")).Split('\n').First(l => l.StartsWith("used_memory:", StringComparison.Ordinal)).Trim()}");
        return 0;
    }

    private static readonly string Session = Guid.NewGuid().ToString();

    private static void Row(string what, Latencies here, Latencies there, int missed) =>
        Console.WriteLine($"| {what} | {Latencies.Format(here.Median)} ms | {Latencies.Format(here.Percentile(99))} ms | {Latencies.Format(there.Median)} ms | "
            + $"{Latencies.Format(there.Percentile(99))} ms | {Latencies.Format(there.Max)} ms | {Latencies.Format(there.Percentile(99) - here.Percentile(99))} ms | {missed} |");

    private static async Task<(Latencies Here, Latencies There, int Missed)> MeasureKontasksAsync(Replica a, Replica b)
    {
        var generator = new KontaskGenerator();
        var arrivals = new ConcurrentDictionary<string, (TaskCompletionSource<long> Here, TaskCompletionSource<long> There)>();
        using var onA = a.Bus.SubscribeKontasks(e => Arrived(e, arrivals, there: false));
        using var onB = b.Bus.SubscribeKontasks(e => Arrived(e, arrivals, there: true));
        var (here, there, missed) = (new Latencies(), new Latencies(), 0);
        for (var i = 0; i < WarmUp + Samples; i++)
        {
            var kontask = generator.Next();
            var arrival = (New(), New());
            arrivals[kontask.Id] = arrival;
            var started = Stopwatch.GetTimestamp();
            a.Store.Append(kontask);
            var arrived = await Both(arrival.Item1, arrival.Item2);
            if (i >= WarmUp)
            {
                if (arrived)
                {
                    here.Add(Stopwatch.GetElapsedTime(started, arrival.Item1.Task.Result).TotalMilliseconds);
                    there.Add(Stopwatch.GetElapsedTime(started, arrival.Item2.Task.Result).TotalMilliseconds);
                }
                else missed++;
            }
            arrivals.TryRemove(kontask.Id, out _);
            await Task.Delay(Pace);
        }
        return (here, there, missed);
    }

    private static Task Arrived(KontaskEvent e, ConcurrentDictionary<string, (TaskCompletionSource<long> Here, TaskCompletionSource<long> There)> arrivals, bool there)
    {
        var at = Stopwatch.GetTimestamp();
        if (e is KontaskReady ready && arrivals.TryGetValue(ready.Kontask.Id, out var arrival)) (there ? arrival.There : arrival.Here).TrySetResult(at);
        return Task.CompletedTask;
    }

    private static async Task<(Latencies Here, Latencies There, int Missed)> MeasureTurnEventsAsync(Replica a, Replica b)
    {
        var turnId = "turn_bench";
        var arrivals = new ConcurrentDictionary<long, (TaskCompletionSource<long> Here, TaskCompletionSource<long> There)>();
        using var onA = a.Bus.SubscribeSession(Session, 0, e => TurnArrived(e, arrivals, there: false));
        using var onB = b.Bus.SubscribeSession(Session, 0, e => TurnArrived(e, arrivals, there: true));
        var (here, there, missed) = (new Latencies(), new Latencies(), 0);
        for (var seq = 1; seq <= WarmUp + Samples; seq++)
        {
            var arrival = (New(), New());
            arrivals[seq] = arrival;
            var started = Stopwatch.GetTimestamp();
            a.Bus.PublishTurnEvent(Session, turnId, seq == 1
                ? new TurnStart(turnId, Session, "req_bench", "Stream words", 0) { Seq = 1, At = DateTimeOffset.UtcNow }
                : new TextDelta("msg_bench", 0, $"word{seq} ") { Seq = seq, At = DateTimeOffset.UtcNow });
            var arrived = await Both(arrival.Item1, arrival.Item2);
            if (seq > WarmUp)
            {
                if (arrived)
                {
                    here.Add(Stopwatch.GetElapsedTime(started, arrival.Item1.Task.Result).TotalMilliseconds);
                    there.Add(Stopwatch.GetElapsedTime(started, arrival.Item2.Task.Result).TotalMilliseconds);
                }
                else missed++;
            }
            arrivals.TryRemove(seq, out _);
            await Task.Delay(Pace);
        }
        return (here, there, missed);
    }

    private static Task TurnArrived(ConsoleEvent e, ConcurrentDictionary<long, (TaskCompletionSource<long> Here, TaskCompletionSource<long> There)> arrivals, bool there)
    {
        var at = Stopwatch.GetTimestamp();
        if (arrivals.TryGetValue(e.Event.Seq, out var arrival)) (there ? arrival.There : arrival.Here).TrySetResult(at);
        return Task.CompletedTask;
    }

    /// <summary>The team of docs/scale.md: sessions streaming at once, each this many events a second, for this long.</summary>
    private const int TeamSessions = 200;
    private const int EventsPerSessionPerSecond = 20;
    private static readonly TimeSpan TeamLoadFor = TimeSpan.FromSeconds(10);

    /// <summary>
    /// 200 sessions streaming 20 events a second each on A (4,000 events/s) for 10 s: how late each reaches B's bus,
    /// how much CPU both replicas' Redis sides take (this process), and what Redis holds per session afterwards.
    /// </summary>
    private static async Task MeasureTeamLoadAsync(Replica a, Replica b, RedisServer redis)
    {
        var sessions = Enumerable.Range(0, TeamSessions).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var index = sessions.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var perSession = (int)(EventsPerSessionPerSecond * TeamLoadFor.TotalSeconds);
        var sentAt = new long[TeamSessions, perSession + 1];
        var arrivedAt = new long[TeamSessions, perSession + 1];
        using var onB = b.Bus.SubscribeTurns(e =>
        {
            var at = Stopwatch.GetTimestamp();
            if (index.TryGetValue(e.SessionId, out var i) && e.Event.Seq <= perSession) arrivedAt[i, e.Event.Seq] = at;
            return Task.CompletedTask;
        }, capacity: 1_000_000);
        MachineLoad.WaitForQuiet();
        var load = MachineLoad.Now();
        var cpu = Environment.CpuUsage.TotalTime;
        var redisCpu = redis.CpuTime;
        var wall = Stopwatch.StartNew();
        var tick = TimeSpan.FromMilliseconds(10);
        var perTick = TeamSessions * EventsPerSessionPerSecond / 100;
        var next = 0;
        for (var seq = 1; seq <= perSession;)
        {
            for (var k = 0; k < perTick && seq <= perSession; k++)
            {
                var i = next++ % TeamSessions;
                var turnId = "turn_team_" + i;
                var eventSeq = seq;
                if (next % TeamSessions == 0) seq++;
                sentAt[i, eventSeq] = Stopwatch.GetTimestamp();
                a.Bus.PublishTurnEvent(sessions[i], turnId, eventSeq == 1
                    ? new TurnStart(turnId, sessions[i], "req_team_" + i, "Work", 0) { Seq = 1, At = DateTimeOffset.UtcNow }
                    : new TextDelta("msg_team", 0, $"word{eventSeq} ") { Seq = eventSeq, At = DateTimeOffset.UtcNow });
            }
            var due = tick * (next / perTick);
            if (due > wall.Elapsed) await Task.Delay(due - wall.Elapsed);
        }
        var sending = wall.Elapsed;
        var patience = Stopwatch.StartNew();
        while (patience.Elapsed < Patience && Missing(arrivedAt) > 0) await Task.Delay(50);
        var cpuShare = 100 * (Environment.CpuUsage.TotalTime - cpu) / (wall.Elapsed * Environment.ProcessorCount);
        var redisShare = 100 * (redis.CpuTime - redisCpu) / wall.Elapsed;
        var machine = MachineLoad.Now().BusyPercentSince(load);
        var latencies = new Latencies();
        for (var i = 0; i < TeamSessions; i++)
            for (var seq = 1; seq <= perSession; seq++)
                if (arrivedAt[i, seq] != 0) latencies.Add(Stopwatch.GetElapsedTime(sentAt[i, seq], arrivedAt[i, seq]).TotalMilliseconds);
        var sessionBytes = new List<long>();
        foreach (var id in sessions.Take(20)) sessionBytes.Add(long.Parse((await redis.CommandAsync("MEMORY", "USAGE", RedisKeys.SessionEvents(id), "SAMPLES", "0")).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine($"The team's load: {TeamSessions} sessions x {EventsPerSessionPerSecond} events/s on A = {TeamSessions * EventsPerSessionPerSecond:N0} events/s for {TeamLoadFor.TotalSeconds:0} s "
            + $"(sent in {sending.TotalSeconds:0.0} s), each to B's bus:");
        Console.WriteLine();
        Console.WriteLine("| events | arrived | p50 | p99 | max | both replicas' CPU (this process) | redis-server's CPU | the machine busy |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {TeamSessions * perSession:N0} | {latencies.Count:N0} | {Latencies.Format(latencies.Median)} ms | {Latencies.Format(latencies.Percentile(99))} ms | "
            + $"{Latencies.Format(latencies.Max)} ms | {cpuShare * Environment.ProcessorCount:0}% of one core | {redisShare:0}% of one core | {machine:0}% |");
        Console.WriteLine();
        Console.WriteLine($"Each session's stream then ({perSession} events): MEMORY USAGE {sessionBytes.Min():N0}-{sessionBytes.Max():N0} bytes; "
            + $"used_memory {(await redis.CommandAsync("INFO", "memory")).Split('\n').First(l => l.StartsWith("used_memory:", StringComparison.Ordinal)).Trim()}.");
    }

    private static int Missing(long[,] arrivedAt)
    {
        var missing = 0;
        for (var i = 0; i < arrivedAt.GetLength(0); i++)
            for (var seq = 1; seq < arrivedAt.GetLength(1); seq++)
                if (arrivedAt[i, seq] == 0) missing++;
        return missing;
    }

    private static TaskCompletionSource<long> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task<bool> Both(TaskCompletionSource<long> here, TaskCompletionSource<long> there)
    {
        var both = Task.WhenAll(here.Task, there.Task);
        return await Task.WhenAny(both, Task.Delay(Patience)) == both;
    }

    /// <summary>One replica's Redis side, as Konui wires it (ReplicasExtensions), without the web app around it.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly RedisLink _link;
        private readonly List<Microsoft.Extensions.Hosting.BackgroundService> _services;

        private Replica(EventBus bus, KontaskStore store, RedisLink link, List<Microsoft.Extensions.Hosting.BackgroundService> services) =>
            (Bus, Store, _link, _services) = (bus, store, link, services);

        public EventBus Bus { get; }

        public KontaskStore Store { get; }

        public static async Task<Replica> StartAsync(string dataDir, string connectionString)
        {
            Directory.CreateDirectory(dataDir);
            var bus = new EventBus();
            var store = new KontaskStore(new KontaskStoreOptions(Path.Combine(dataDir, "kontasks.jsonl")), bus);
            store.Start();
            var link = new RedisLink(connectionString, new RedisStatus { Enabled = true }, TimeProvider.System, NullLogger<RedisLink>.Instance);
            var outbox = new RedisOutbox(link, TimeProvider.System, NullLogger<RedisOutbox>.Instance);
            var services = new List<Microsoft.Extensions.Hosting.BackgroundService>
            {
                outbox,
                new KontaskFeed(link, outbox, bus, store, dataDir, NullLogger<KontaskFeed>.Instance, started: new CancellationToken(canceled: true)),
                new TurnEventRelay(link, outbox, bus, OnlyLocal(bus), TimeProvider.System, NullLogger<TurnEventRelay>.Instance),
            };
            foreach (var service in services) await service.StartAsync(CancellationToken.None);
            return new Replica(bus, store, link, services);
        }

        /// <summary>The machines of a replica with its own konsole only (never started: the events come from the harness).</summary>
        private static Konsoles OnlyLocal(EventBus bus)
        {
            var httpClients = new ServiceCollection().AddHttpClient().BuildServiceProvider()
                .GetRequiredService<IHttpClientFactory>();
            return new Konsoles([new KonsoleHost { Name = Konsoles.LocalName, Url = "http://127.0.0.1:9/" }], httpClients, bus, TimeProvider.System,
                NullLoggerFactory.Instance);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var service in _services) await service.StopAsync(CancellationToken.None);
            foreach (var service in _services) service.Dispose();
            Store.Dispose();
            _link.Dispose();
        }
    }
}
