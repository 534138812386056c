using System.Collections.Concurrent;
using System.Diagnostics;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using Konui.Testing;

namespace Konui.Bench;

/// <summary>
/// Benchmark 2: from appending a kontask to the store's <see cref="KontaskReady"/> reaching a bus subscriber, with
/// 1,000 and with 100,000 kontasks in the file. Two paths: a line another writer appends with
/// <see cref="KontaskFile.AppendLine"/> (found by the FileSystemWatcher) and <see cref="KontaskStore.Append"/> (the
/// MCP tools' path, which reads its own line at once), and the first again while a subscriber does what an open
/// Kontasks page does on every event (facets and first page). Appends come one every 20 ms.
/// Also times what that page pays on each such event for the filter facets, recomputed over all kontasks.
/// </summary>
internal static class AppendLatencyBenchmark
{
    public const string Name = "append-latency";
    private const int WarmUp = 50;
    private const int Samples = 500;
    private const int FacetSamples = 20;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public static int Run()
    {
        Console.WriteLine($"{Samples} appends after {WarmUp} warm-up ones, one every {Pace.TotalMilliseconds:0} ms; latency = append called -> KontaskReady in the subscriber.");
        Console.WriteLine();
        Console.WriteLine("| kontasks in the file | path | p50 | p99 | max | missed (> 5 s) | other processes' CPU |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var facetRows = new List<string>();
        var worstP99 = 0.0;
        foreach (var size in new[] { 1_000, 100_000 })
        {
            using var folder = new ScratchFolder("konui-bench-" + Name);
            var file = Path.Combine(folder.Path, "kontasks.jsonl");
            var generator = new KontaskGenerator();
            generator.WriteFile(file, size);
            var bus = new EventBus();
            using var store = new KontaskStore(new KontaskStoreOptions(file), bus);
            store.Start();
            var arrivals = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
            using var subscription = bus.SubscribeKontasks(e =>
            {
                var received = Stopwatch.GetTimestamp();
                if (e is KontaskReady ready && arrivals.TryRemove(ready.Kontask.Id, out var arrival)) arrival.TrySetResult(received);
                return Task.CompletedTask;
            });

            Action<Kontask> appendLine = k => KontaskFile.AppendLine(file, KontaskJson.SerializeLine(k));
            var paths = new (string Name, Action<Kontask> Append, bool PageOpen)[]
            {
                ("KontaskFile.AppendLine (another writer, watcher)", appendLine, false),
                ("KontaskStore.Append (MCP tools)", store.Append, false),
                ("KontaskFile.AppendLine, a Kontasks page open", appendLine, true),
            };
            foreach (var (pathName, append, pageOpen) in paths)
            {
                using var page = pageOpen ? bus.SubscribeKontasks(_ => ReloadLikeThePage(store)) : null;
                MachineLoad.WaitForQuiet();
                var load = MachineLoad.Now();
                var cpu = Environment.CpuUsage.TotalTime;
                var wall = Stopwatch.StartNew();
                var (latencies, missed) = Measure(generator, arrivals, append);
                var ownPercent = 100 * (Environment.CpuUsage.TotalTime - cpu) / (wall.Elapsed * Environment.ProcessorCount);
                var others = Math.Max(0, MachineLoad.Now().BusyPercentSince(load) - ownPercent);
                worstP99 = Math.Max(worstP99, latencies.Percentile(99));
                Console.WriteLine($"| {size:N0} | {pathName} | {Latencies.Format(latencies.Median)} ms | {Latencies.Format(latencies.Percentile(99))} ms | {Latencies.Format(latencies.Max)} ms | {missed} | {others:0}% |");
            }

            var facets = new Latencies();
            for (var i = 0; i < FacetSamples; i++)
            {
                store.Append(generator.Next());
                var started = Stopwatch.GetTimestamp();
                store.Facets();
                facets.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            facetRows.Add($"| {size:N0} | {Latencies.Format(facets.Median)} ms | {Latencies.Format(facets.Max)} ms |");
        }
        Console.WriteLine($"Target (p99 at most 50 ms, no growth with file size): worst p99 {Latencies.Format(worstP99)} ms");
        Console.WriteLine();
        Console.WriteLine($"KontaskStore.Facets() right after an append (an open Kontasks page calls it on every event), {FacetSamples} samples:");
        Console.WriteLine();
        Console.WriteLine("| kontasks in the file | p50 | max |");
        Console.WriteLine("|---|---|---|");
        foreach (var row in facetRows) Console.WriteLine(row);
        return 0;
    }

    /// <summary>What the Kontasks page does on every kontask event: reload its facets and its first page.</summary>
    private static Task ReloadLikeThePage(KontaskStore store)
    {
        store.Facets();
        store.Query(new KontaskQuery());
        return Task.CompletedTask;
    }

    private static (Latencies Latencies, int Missed) Measure(
        KontaskGenerator generator, ConcurrentDictionary<string, TaskCompletionSource<long>> arrivals, Action<Kontask> append)
    {
        var latencies = new Latencies();
        var missed = 0;
        for (var i = 0; i < WarmUp + Samples; i++)
        {
            var kontask = generator.Next();
            var arrival = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            arrivals[kontask.Id] = arrival;
            var started = Stopwatch.GetTimestamp();
            append(kontask);
            var arrived = arrival.Task.Wait(Patience);
            if (i >= WarmUp)
            {
                if (arrived) latencies.Add(Stopwatch.GetElapsedTime(started, arrival.Task.Result).TotalMilliseconds);
                else missed++;
            }
            arrivals.TryRemove(kontask.Id, out _);
            Thread.Sleep(Pace);
        }
        return (latencies, missed);
    }
}
