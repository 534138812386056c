using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 1c. Turn start: POST /api/konsole/turns to the first event on the turn's SSE stream, warm (the session's stand-in
/// CLI process is running and answers at once, so the CLI's own start-up is not in it), over many turns. Also to the
/// CLI's first event (init). Target: at most 20 ms.
/// </summary>
internal static class TurnStartBenchmark
{
    public const string Name = "turn-start";
    private const int WarmUp = 20;
    private const int Turns = 200;

    public static async Task<int> RunAsync()
    {
        QuietMachine.Wait();
        foreach (var program in new[] { KonuiProcess.Konsole, KonuiProcess.Konui })
        {
            await using var turns = await KonsoleTurns.StartAsync(program);
            var plan = new DeltaPlan(1, 0);
            for (var i = 0; i < WarmUp; i++) await turns.RunAsync(plan);
            var traces = new List<TurnTrace>();
            for (var i = 0; i < Turns; i++) traces.Add(await turns.RunAsync(plan));
            Console.WriteLine($"{Targets.Describe(program)}: {Turns} turns after {WarmUp} warm-up turns, one session");
            Console.WriteLine($"  POST -> 202 answer:           {new Latencies(traces.Select(t => t.Accepted.TotalMilliseconds))}");
            Console.WriteLine($"  POST -> first SSE event:      {new Latencies(traces.Select(t => t.FirstEvent.TotalMilliseconds))}");
            Console.WriteLine($"  POST -> init (the CLI's first): {new Latencies(traces.Select(t => t.Init.TotalMilliseconds))}");
            Console.WriteLine($"  POST -> turn_end:             {new Latencies(traces.Select(t => t.Ended.TotalMilliseconds))}");
        }
        return 0;
    }
}
