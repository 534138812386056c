using System.Diagnostics;
using System.Globalization;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 2b. One Dashboard tab fed 5,000 deltas/s for 10 s: does the lag grow (latency of the words written in the first
/// second against the last), and the Konui process's CPU time over the wall time from the prompt to the last word.
/// The WebSocket echo baseline takes the same load in the same browser.
/// </summary>
internal static class DashboardLoadBenchmark
{
    public const string Name = "dashboard-load";
    private const int PerSecond = 5_000;
    private const int Deltas = 50_000;

    public static async Task<int> RunAsync()
    {
        QuietMachine.Wait();
        using var browser = Chromium.Start();
        await using var echo = await EchoServer.StartAsync();
        browser.Open(echo.Url, EchoServer.ReadySelector);
        await DashboardStreams.EchoAsync(browser, echo, 2_000, PerSecond);
        var browserCpu = browser.CpuTime;
        var clock = Stopwatch.StartNew();
        var baseline = await DashboardStreams.EchoAsync(browser, echo, Deltas, PerSecond);
        var baselineUse = Use(browser.CpuTime - browserCpu, clock.Elapsed);

        await using var konui = await KonsoleTurns.StartAsync(KonuiProcess.Konui);
        await konui.RunAsync(DeltaPlan.Quick);
        browser.Open(DashboardStreams.DashboardUrl(konui), DashboardStreams.DashboardReady);
        await DashboardStreams.DashboardAsync(browser, new DeltaPlan(200, 100));
        var cpuBefore = konui.App.CpuTime;
        browserCpu = browser.CpuTime;
        clock.Restart();
        var dashboard = await DashboardStreams.DashboardAsync(browser, new DeltaPlan(Deltas, PerSecond));
        var lastArrival = dashboard.Count > 0 ? dashboard.Max(a => a.ArrivedMicros) : 0;
        var wall = clock.Elapsed - TimeSpan.FromMicroseconds(Math.Max(0, DeltaStamp.NowMicros() - lastArrival));
        var cpu = konui.App.CpuTime - cpuBefore;
        var dashboardUse = Use(browser.CpuTime - browserCpu, wall);

        Console.WriteLine($"{Deltas:N0} deltas at {PerSecond:N0}/s, written -> word in the DOM");
        Report("WebSocket echo baseline", baseline);
        Console.WriteLine($"  browser CPU: {baselineUse}");
        Report("Dashboard", dashboard);
        Console.WriteLine($"  browser CPU: {dashboardUse}");
        Console.WriteLine($"  Dashboard {DashboardStreams.Compare(new Latencies(dashboard.Select(a => a.LatencyMs)), new Latencies(baseline.Select(a => a.LatencyMs)))}");
        Console.WriteLine($"  Konui CPU from the prompt to the last word: {Use(cpu, wall)}");
        return 0;
    }

    private static string Use(TimeSpan cpu, TimeSpan wall) => string.Create(CultureInfo.InvariantCulture,
        $"{cpu.TotalSeconds:0.00} s over {wall.TotalSeconds:0.00} s = {cpu / wall * 100:0}% of one core");

    private static void Report(string what, List<DeltaArrival> arrivals)
    {
        var seconds = DashboardStreams.BySecond(arrivals).ToList();
        Console.WriteLine($"  {what}: {new Latencies(arrivals.Select(a => a.LatencyMs))} ({Deltas - arrivals.Count} missing)");
        foreach (var (second, latencies) in seconds) Console.WriteLine($"    second {second + 1,2}: {latencies}");
    }
}
