using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 1b. Latency from a CLI stdout line to an SSE client at 1,000 events/s: the stand-in CLI stamps each delta as it
/// writes it, the client compares the stamp with its clock when the event arrives. Target: p99 at most 5 ms.
/// </summary>
internal static class KonsoleLatencyBenchmark
{
    public const string Name = "konsole-latency";
    private const int PerSecond = 1_000;
    private const int Deltas = 10_000;

    public static async Task<int> RunAsync()
    {
        QuietMachine.Wait();
        foreach (var program in new[] { KonuiProcess.Konsole, KonuiProcess.Konui })
        {
            await using var turns = await KonsoleTurns.StartAsync(program);
            await turns.RunAsync(new DeltaPlan(2_000, PerSecond));
            var trace = await turns.RunAsync(new DeltaPlan(Deltas, PerSecond));
            Console.WriteLine($"{Targets.Describe(program)}: {Deltas:N0} deltas at {PerSecond:N0}/s, CLI stdout line -> SSE client");
            Console.WriteLine($"  {new Latencies(trace.Deltas.Select(d => d.LatencyMs))}");
        }
        return 0;
    }
}
