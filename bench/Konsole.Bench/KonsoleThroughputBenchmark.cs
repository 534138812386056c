using System.Globalization;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 1a. Parse, log and serve throughput: the stand-in CLI prints 100,000 deltas as fast as it can; konsole parses them,
/// appends them to the turn log and serves them as SSE to a <see cref="Konui.Core.Konsole.KonsoleClient"/> reading
/// them. Events/s is the turn's events over POST to turn_end read by the client. Per-stage numbers come from the same
/// code run in this process (<see cref="PipelineStages"/>). Target: at least 50,000 events/s on 2 cores.
/// </summary>
internal static class KonsoleThroughputBenchmark
{
    public const string Name = "konsole-throughput";
    private const int Deltas = 100_000;
    private const int Runs = 5;

    public static async Task<int> RunAsync()
    {
        QuietMachine.Wait();
        Console.WriteLine($"Stages in this process, {Deltas:N0} recording-shaped delta lines (second of two rounds):");
        PipelineStages.Measure(Deltas);
        foreach (var program in new[] { KonuiProcess.Konsole, KonuiProcess.Konui })
        {
            await using var turns = await KonsoleTurns.StartAsync(program);
            await turns.RunAsync(new DeltaPlan(Deltas, 0));
            Console.WriteLine($"End to end, {Targets.Describe(program)}: {Deltas:N0} deltas as fast as the stand-in CLI prints them -> SSE client");
            for (var run = 1; run <= Runs; run++)
            {
                var cpuBefore = turns.App.CpuTime;
                var trace = await turns.RunAsync(new DeltaPlan(Deltas, 0));
                var cpu = turns.App.CpuTime - cpuBefore;
                var seconds = trace.Ended.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  run {run}: {trace.Events:N0} events ({trace.Deltas.Count:N0} deltas) in {seconds:0.000} s = {trace.Events / seconds:N0} events/s; "
                    + $"server CPU {cpu.TotalSeconds:0.00} s ({cpu.TotalSeconds / seconds * 100:0}% of one core)"));
            }
        }
        return 0;
    }
}
