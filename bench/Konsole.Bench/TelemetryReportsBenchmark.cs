using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 3. Telemetry and Reports over 10,000 turns (90 days, 50 sessions, from <see cref="TurnLogGenerator"/>): konsole's
/// start-up reading the turn logs (in this process, and Konui's start-up with and without them), then p50/p95 over 20
/// requests after warm-up of the Telemetry and Reports pages (the server prerender, the whole response read over
/// loopback) and the CSV report. Target: at most 300 ms of server time each.
/// </summary>
internal static partial class TelemetryReportsBenchmark
{
    public const string Name = "telemetry-reports";
    private const int Turns = 10_000;
    private const int Sessions = 50;
    private const int WarmUp = 3;
    private const int Requests = 20;
    private static readonly TimeSpan Span = TimeSpan.FromDays(90);
    private static readonly string[] Paths = ["telemetry?range=90d", "reports?period=week", "api/reports?period=week&format=csv"];

    /// <summary>The two konsole calls the Telemetry page makes while it prerenders: where its time goes.</summary>
    private static string[] TelemetryCalls(DateTimeOffset now) =>
    [
        "api/konsole/sessions",
        $"api/konsole/telemetry?from={Uri.EscapeDataString((now - TimeSpan.FromDays(90)).ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(now.ToString("O", CultureInfo.InvariantCulture))}&zone=UTC",
    ];

    public static async Task<int> RunAsync()
    {
        QuietMachine.Wait();
        using var folder = new ScratchFolder("konsole-bench-insights");
        var dataDir = Path.Combine(folder.Path, "data");
        var clock = Stopwatch.StartNew();
        var bytes = new TurnLogGenerator().Write(dataDir, Turns, Sessions, Span, DateTimeOffset.UtcNow);
        Console.WriteLine($"Generated {Turns:N0} turn logs over {Span.TotalDays:0} days in {Sessions} sessions, with kontasks: {TurnLogGenerator.Size(bytes)} in {clock.Elapsed.TotalSeconds:0.0} s");

        for (var round = 1; round <= 3; round++)
        {
            var options = new KonsoleOptions { DataDir = dataDir, ClaudePath = Path.Combine(folder.Path, "no-claude"), KeepSpare = false };
            var cli = new ClaudeCli(options);
            var defaults = new SessionDefaultsFile(options, NullLogger<SessionDefaultsFile>.Instance);
            using var spares = new SpareCli(options, cli, defaults, TimeProvider.System, NullLogger<SpareCli>.Instance);
            var runner = new TurnRunner(options, cli, new ClaudeTranscripts(options, NullLogger<ClaudeTranscripts>.Instance), defaults, spares,
                TimeProvider.System, NullLogger<TurnRunner>.Instance);
            clock.Restart();
            await runner.StartAsync(CancellationToken.None);
            Console.WriteLine($"  konsole start-up (TurnRunner.StartAsync, this process, round {round}): {clock.Elapsed.TotalMilliseconds:0} ms for {runner.Sessions().Sum(s => s.TurnCount):N0} turns");
        }
        using (var empty = new ScratchFolder("konsole-bench-empty"))
        await using (var bare = await MeasuredApp.StartAsync(KonuiProcess.Konui, empty.Path))
        {
            Console.WriteLine($"  Konui process start to listening, no turns: {bare.StartUp.TotalMilliseconds:0} ms");
        }
        await using var konui = await MeasuredApp.StartAsync(KonuiProcess.Konui, folder.Path);
        var read = konui.OutputLine("Konsole read") ?? "";
        read = read[read.IndexOf("Konsole read", StringComparison.Ordinal)..read.IndexOf(" from ", StringComparison.Ordinal)];
        Console.WriteLine($"  Konui process start to listening, {Turns:N0} turns: {konui.StartUp.TotalMilliseconds:0} ms ({read})");
        var memory = await MeasuredApp.ReadMemoryAsync(konui);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Konui memory after start-up: GC heap {memory.HeapBytes / 1048576.0:0.0} MB, working set {memory.WorkingSetBytes / 1048576.0:0.0} MB"));

        using var http = konui.NewHttpClient();
        foreach (var path in Paths.Concat(TelemetryCalls(DateTimeOffset.UtcNow)))
        {
            var samples = new List<double>();
            string body = "";
            for (var i = 0; i < WarmUp + Requests; i++)
            {
                clock.Restart();
                using var response = await http.GetAsync(path);
                body = await response.Content.ReadAsStringAsync();
                var ms = clock.Elapsed.TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                if (i >= WarmUp) samples.Add(ms);
            }
            var turns = TurnsCard().Match(body) is { Success: true } card ? $", page says {card.Groups[1].Value} turns" : "";
            Console.WriteLine($"  GET /{(path.Contains("&to=", StringComparison.Ordinal) ? "api/konsole/telemetry?from=<90 days ago>&to=<now>&zone=UTC" : path)}: {new Latencies(samples)} ({body.Length / 1024.0:0} KB{turns})");
        }
        return 0;
    }

    [GeneratedRegex("""Turns</span><strong[^>]*>([\d,]+)</strong>""")]
    private static partial Regex TurnsCard();
}
