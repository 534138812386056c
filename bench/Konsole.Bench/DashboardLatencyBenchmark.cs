using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 2a. Latency from the CLI writing a delta line to its word in the Dashboard's DOM at 100 deltas/s, in headless
/// Chromium, with the raw WebSocket echo baseline measured the same way in the same browser. Target: p99 at most 50 ms.
/// </summary>
internal static class DashboardLatencyBenchmark
{
    public const string Name = "dashboard-latency";
    private const int PerSecond = 100;
    private const int Deltas = 1_000;
    private const int WarmUpDeltas = 200;

    public static async Task<int> RunAsync()
    {
        QuietMachine.Wait();
        using var browser = Chromium.Start();
        await using var echo = await EchoServer.StartAsync();
        browser.Open(echo.Url, EchoServer.ReadySelector);
        await DashboardStreams.EchoAsync(browser, echo, WarmUpDeltas, PerSecond);
        var baseline = new Latencies((await DashboardStreams.EchoAsync(browser, echo, Deltas, PerSecond)).Select(a => a.LatencyMs));

        await using var konui = await KonsoleTurns.StartAsync(KonuiProcess.Konui);
        await konui.RunAsync(DeltaPlan.Quick);
        browser.Open(DashboardStreams.DashboardUrl(konui), DashboardStreams.DashboardReady);
        await DashboardStreams.DashboardAsync(browser, new DeltaPlan(WarmUpDeltas, PerSecond));
        var dashboard = new Latencies((await DashboardStreams.DashboardAsync(browser, new DeltaPlan(Deltas, PerSecond))).Select(a => a.LatencyMs));

        Console.WriteLine($"{Deltas:N0} deltas at {PerSecond}/s, written -> word in the DOM (after {WarmUpDeltas} warm-up deltas each)");
        Console.WriteLine($"  WebSocket echo baseline: {baseline}");
        Console.WriteLine($"  Dashboard:               {dashboard} ({Deltas - dashboard.Count} missing)");
        Console.WriteLine($"  Dashboard {DashboardStreams.Compare(dashboard, baseline)}");
        return 0;
    }
}
