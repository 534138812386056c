using System.Diagnostics;
using System.Text.Json;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using Konui.Testing;

namespace Konui.Bench;

/// <summary>
/// Benchmark 1: a cold index of 100,000 kontasks of about 2 KB, at most 1 s (issue 14; issue 2 asked 2 s). The file is
/// generated once; each run is a fresh process that times <c>new KontaskStore(...).Start()</c> and reads its peak
/// resident memory (VmHWM) afterwards: from the lines (no kontasks.index: the first start, or one after the index file
/// was lost), and from the index file the previous run left (every later start). Runs with the workstation GC (a
/// console app's default) and with the server GC (Konui.Blazor's default).
/// </summary>
internal static class ColdIndexBenchmark
{
    public const string Name = "cold-index";
    public const string ChildName = "cold-index-child";
    private const int Kontasks = 100_000;
    private const int Runs = 3;

    public static int Run()
    {
        using var folder = new ScratchFolder("konui-bench-" + Name);
        var file = Path.Combine(folder.Path, "kontasks.jsonl");
        var indexFile = Path.Combine(folder.Path, "kontasks.index");
        var generating = Stopwatch.StartNew();
        var bytes = new KontaskGenerator().WriteFile(file, Kontasks);
        Console.WriteLine($"Generated {Kontasks:N0} kontasks, {bytes / 1e6:0.0} MB ({bytes / Kontasks:N0} bytes a line) in {generating.Elapsed.TotalSeconds:0.0} s");

        foreach (var (gc, serverGc) in new[] { ("workstation", false), ("server", true) })
        {
            Console.WriteLine();
            Console.WriteLine($"GC: {gc}");
            Console.WriteLine("| run | index from | Start() | its CPU time | peak RSS (VmHWM) | RSS after | managed heap | peak RSS before Start() | gen0 / gen2 GCs | GC pauses | other processes' CPU |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var from in new[] { "its lines", "kontasks.index" })
            {
                var runs = new List<ColdIndexRun>();
                for (var i = 1; i <= Runs; i++)
                {
                    if (from == "its lines") File.Delete(indexFile);
                    else if (!File.Exists(indexFile)) throw new InvalidOperationException("The runs before wrote no kontasks.index");
                    MachineLoad.WaitForQuiet();
                    var (run, othersPercent) = RunInFreshProcess(file, serverGc);
                    if (run.Count != Kontasks) throw new InvalidOperationException($"Indexed {run.Count} kontasks, expected {Kontasks}");
                    runs.Add(run);
                    Console.WriteLine($"| {i} | {from} | {run.ElapsedMs:0} ms | {run.CpuMs:0} ms | {run.PeakMb:0} MB | {run.ResidentMb:0} MB | {run.ManagedHeapMb:0} MB | {run.PeakMbBefore:0} MB | {run.Gen0Collections} / {run.Gen2Collections} | {run.GcPauseMs:0} ms | {othersPercent:0}% |");
                }
                var time = Median(runs.Select(r => r.ElapsedMs));
                var peak = Median(runs.Select(r => r.PeakMb));
                Console.WriteLine($"| **median** | {from} | **{time:0} ms** | {Median(runs.Select(r => r.CpuMs)):0} ms | **{peak:0} MB** | | | | | | |");
                Console.WriteLine($"Target from {from} (at most 1,000 ms, issue 14; at most 300 MB): {(time <= 1_000 && peak <= 300 ? "met" : "missed")}");
            }
        }
        return 0;
    }

    /// <summary>The measured part, in the fresh process: prints one <see cref="ColdIndexRun"/> as JSON.</summary>
    public static int RunChild(string file)
    {
        var before = ResidentMemory.OfThisProcess();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.StartNew();
        using var store = new KontaskStore(new KontaskStoreOptions(file), new EventBus());
        store.Start();
        var elapsed = started.Elapsed;
        var cpu = Environment.CpuUsage.TotalTime;
        var after = ResidentMemory.OfThisProcess();
        Console.WriteLine(JsonSerializer.Serialize(new ColdIndexRun(
            elapsed.TotalMilliseconds,
            (cpu - cpuBefore).TotalMilliseconds,
            cpu.TotalMilliseconds,
            store.Count,
            before.PeakMb,
            after.PeakMb,
            after.NowMb,
            GC.GetTotalMemory(forceFullCollection: false) / 1048576.0,
            GC.CollectionCount(0),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration().TotalMilliseconds)));
        return 0;
    }

    /// <summary>Runs the child and returns its measurements and how busy the other processes kept all CPUs meanwhile.</summary>
    private static (ColdIndexRun Run, double OthersPercent) RunInFreshProcess(string file, bool serverGc)
    {
        var start = SelfLaunch.StartInfo(ChildName, file);
        start.Environment["DOTNET_gcServer"] = serverGc ? "1" : "0";
        var load = MachineLoad.Now();
        var wall = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start");
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var busyPercent = MachineLoad.Now().BusyPercentSince(load);
        if (child.ExitCode != 0) throw new InvalidOperationException($"The child process failed ({child.ExitCode}): {output}");
        var run = JsonSerializer.Deserialize<ColdIndexRun>(output.Trim().Split('\n')[^1])
            ?? throw new InvalidOperationException($"The child process printed no result: {output}");
        var childPercent = 100 * run.ProcessCpuMs / (wall.Elapsed.TotalMilliseconds * Environment.ProcessorCount);
        return (run, Math.Max(0, busyPercent - childPercent));
    }

    private static double Median(IEnumerable<double> values)
    {
        var latencies = new Latencies();
        foreach (var value in values) latencies.Add(value);
        return latencies.Median;
    }
}
