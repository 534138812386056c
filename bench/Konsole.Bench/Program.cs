using System.Runtime.Versioning;
using Konsole.Bench;

// Linux only: the benchmarks read /proc and start the stand-in CLI with a shell script.
[assembly: SupportedOSPlatform("linux")]

// The konsole, dashboard console, telemetry, reports, decision and push benchmarks, and the streaming one with the
// real CLI; docs/benchmarks.md has what each measures, its target and the last results.
// Usage: dotnet run -c Release --project bench/Konsole.Bench -- <name>
string[] names =
[
    KonsoleThroughputBenchmark.Name, KonsoleLatencyBenchmark.Name, TurnStartBenchmark.Name,
    DashboardLatencyBenchmark.Name, DashboardLoadBenchmark.Name, DashboardTabsBenchmark.Name,
    TelemetryReportsBenchmark.Name, DecisionLatencyBenchmark.Name, PushLatencyBenchmark.Name, StreamingBenchmark.Name,
];
return args switch
{
    [FakeClaude.Command, .. var rest] => FakeClaude.Run(rest),
    [KonsoleThroughputBenchmark.Name] => await KonsoleThroughputBenchmark.RunAsync(),
    [KonsoleLatencyBenchmark.Name] => await KonsoleLatencyBenchmark.RunAsync(),
    [TurnStartBenchmark.Name] => await TurnStartBenchmark.RunAsync(),
    [DashboardLatencyBenchmark.Name] => await DashboardLatencyBenchmark.RunAsync(),
    [DashboardLoadBenchmark.Name] => await DashboardLoadBenchmark.RunAsync(),
    [DashboardTabsBenchmark.Name] => await DashboardTabsBenchmark.RunAsync(DashboardTabsBenchmark.DefaultBrowsers),
    [DashboardTabsBenchmark.Name, var browsers] when int.TryParse(browsers, out var count) && count > 0 => await DashboardTabsBenchmark.RunAsync(count),
    [TelemetryReportsBenchmark.Name] => await TelemetryReportsBenchmark.RunAsync(),
    [DecisionLatencyBenchmark.Name] => await DecisionLatencyBenchmark.RunAsync(),
    [PushLatencyBenchmark.Name] => await PushLatencyBenchmark.RunAsync(),
    [StreamingBenchmark.Name] => await StreamingBenchmark.RunAsync(patient: true),
    [StreamingBenchmark.Name, "now"] => await StreamingBenchmark.RunAsync(patient: false),
    _ => Usage(),
};

int Usage()
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project bench/Konsole.Bench -- <{string.Join(" | ", names)}>");
    Console.Error.WriteLine($"       {DashboardTabsBenchmark.Name} takes an optional number of Chromium instances of 10 tabs each (default {DashboardTabsBenchmark.DefaultBrowsers})");
    Console.Error.WriteLine($"       {StreamingBenchmark.Name} now: measure without waiting for a quiet machine (the load is printed)");
    return 2;
}
