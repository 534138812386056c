using System.Diagnostics;
using System.Globalization;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 2c. 50 Dashboard tabs on one turn (or 10 per Chromium instance asked for): the p99 latency over all tabs' words, and Konui's memory per circuit (after a
/// full GC: the GC heap and the working set with the 50 tabs open, and after the turn, minus before they opened,
/// divided by 50). The tabs are tabs of several headless Chromium instances (one shown per
/// instance, the others in the background); one more tab, in a window of its own, sends the prompt. The
/// baseline: 50 pages of the <see cref="EchoServer"/> in the same browsers, fed the same words at the same rate.
/// Target: at most 1 MB per circuit.
/// </summary>
internal static class DashboardTabsBenchmark
{
    public const string Name = "dashboard-tabs";
    public const int DefaultBrowsers = 5;
    private const int TabsPerBrowser = 10;
    private const int PerSecond = 100;
    private const int Deltas = 1_000;

    /// <summary>Runs with <paramref name="browserCount"/> Chromium instances of <see cref="TabsPerBrowser"/> tabs each.</summary>
    public static async Task<int> RunAsync(int browserCount)
    {
        var tabCount = browserCount * TabsPerBrowser;
        QuietMachine.Wait();
        await using var konui = await KonsoleTurns.StartAsync(KonuiProcess.Konui);
        await konui.RunAsync(DeltaPlan.Quick);
        var url = DashboardStreams.DashboardUrl(konui);
        var browsers = new List<Chromium>();
        try
        {
            for (var i = 0; i < browserCount; i++) browsers.Add(Chromium.Start());
            var sender = browsers[0];
            var senderWindow = sender.Open(url, DashboardStreams.DashboardReady);
            var clock = Stopwatch.StartNew();
            var baseline = await EchoBaselineAsync(browsers);
            Console.WriteLine($"  (echo baseline over {tabCount} pages done after {clock.Elapsed.TotalSeconds:0} s)");

            sender.Use(senderWindow);
            await DashboardStreams.DashboardAsync(sender, new DeltaPlan(200, PerSecond));
            var before = await MeasuredApp.ReadMemoryAsync(konui.App);

            var tabs = await Task.WhenAll(browsers.Select(browser => Task.Run(() =>
                Enumerable.Range(0, TabsPerBrowser).Select(_ => browser.Open(url, DashboardStreams.DashboardReady, inTab: true)).ToList())));
            Console.WriteLine($"  ({tabCount} Dashboard tabs open after {clock.Elapsed.TotalSeconds:0} s)");
            var opened = await MeasuredApp.ReadMemoryAsync(konui.App);

            var since = DeltaStamp.NowMicros();
            foreach (var (browser, own) in browsers.Zip(tabs))
            {
                foreach (var tab in own)
                {
                    browser.Use(tab);
                    browser.Observe(since);
                }
            }
            sender.Use(senderWindow);
            var cpuBefore = konui.App.CpuTime;
            var browsersBefore = BrowsersCpu(browsers);
            clock.Restart();
            await DashboardStreams.DashboardAsync(sender, new DeltaPlan(Deltas, PerSecond));
            var turnWall = clock.Elapsed;
            var cpu = konui.App.CpuTime - cpuBefore;
            var browsersCpu = BrowsersCpu(browsers) - browsersBefore;
            var perTab = new List<List<DeltaArrival>>();
            foreach (var (browser, own) in browsers.Zip(tabs))
            {
                foreach (var tab in own)
                {
                    browser.Use(tab);
                    await browser.WaitForArrivalsAsync(Deltas, TimeSpan.FromSeconds(10));
                    perTab.Add(browser.Arrivals());
                }
            }
            var after = await MeasuredApp.ReadMemoryAsync(konui.App);

            var all = new Latencies(perTab.SelectMany(t => t).Select(a => a.LatencyMs));
            var tabP99 = perTab.Select(t => new Latencies(t.Select(a => a.LatencyMs)).Percentile(99)).Order().ToList();
            Console.WriteLine($"{tabCount} Dashboard tabs ({browserCount} Chromium instances x {TabsPerBrowser} tabs) watching one turn of {Deltas:N0} deltas at {PerSecond}/s sent from one more tab");
            Console.WriteLine($"  WebSocket echo baseline, {tabCount} pages: {baseline}");
            Console.WriteLine($"  all tabs' words: {all} ({tabCount * Deltas - all.Count} missing)");
            Console.WriteLine($"  Dashboard {DashboardStreams.Compare(all, baseline)}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  p99 per tab: best {tabP99[0]:0.0} ms, median {tabP99[tabP99.Count / 2]:0.0} ms, worst {tabP99[^1]:0.0} ms"));
            var seconds = DashboardStreams.BySecond(perTab.SelectMany(t => t).ToList()).ToList();
            Console.WriteLine($"  words written in the first second: {seconds[0].Latencies}");
            Console.WriteLine($"  words written in the last second:  {seconds.First(s => s.Second == Deltas / PerSecond - 1).Latencies}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU from the prompt until the sending tab had every word ({turnWall.TotalSeconds:0.0} s): Konui {cpu / turnWall * 100:0}% of one core, the browsers {browsersCpu / turnWall * 100:0}%"));
            Console.WriteLine($"  Konui memory before the {tabCount} tabs: {Describe(before)}; with them open: {Describe(opened)}; after the turn: {Describe(after)}");
            Console.WriteLine($"  per circuit, open:       {PerCircuit(opened, before, tabCount)}");
            Console.WriteLine($"  per circuit, after turn: {PerCircuit(after, before, tabCount)}");
        }
        finally
        {
            foreach (var browser in browsers) browser.Dispose();
        }
        return 0;
    }

    /// <summary>Opens the echo page in <see cref="TabsPerBrowser"/> tabs of each browser, pushes the words to all, and closes them again.</summary>
    private static async Task<Latencies> EchoBaselineAsync(List<Chromium> browsers)
    {
        await using var echo = await EchoServer.StartAsync();
        var tabs = await Task.WhenAll(browsers.Select(browser => Task.Run(() =>
            Enumerable.Range(0, TabsPerBrowser).Select(_ => browser.Open(echo.Url, EchoServer.ReadySelector, inTab: true)).ToList())));
        var since = DeltaStamp.NowMicros();
        foreach (var (browser, own) in browsers.Zip(tabs))
        {
            foreach (var tab in own)
            {
                browser.Use(tab);
                browser.Observe(since);
            }
        }
        await echo.PushAsync(Deltas, PerSecond);
        var arrivals = new List<DeltaArrival>();
        foreach (var (browser, own) in browsers.Zip(tabs))
        {
            foreach (var tab in own)
            {
                browser.Use(tab);
                await browser.WaitForArrivalsAsync(Deltas, TimeSpan.FromSeconds(10));
                arrivals.AddRange(browser.Arrivals());
                browser.Close(tab);
            }
        }
        return new Latencies(arrivals.Select(a => a.LatencyMs));
    }

    private static TimeSpan BrowsersCpu(List<Chromium> browsers) => browsers.Aggregate(TimeSpan.Zero, (sum, b) => sum + b.CpuTime);

    private static string Describe(MemoryReading m) => string.Create(CultureInfo.InvariantCulture,
        $"GC heap {m.HeapBytes / 1048576.0:0.0} MB, working set {m.WorkingSetBytes / 1048576.0:0.0} MB");

    private static string PerCircuit(MemoryReading now, MemoryReading before, int tabCount) => string.Create(CultureInfo.InvariantCulture,
        $"GC heap {(now.HeapBytes - before.HeapBytes) / (double)tabCount / 1024:0} KB, working set {(now.WorkingSetBytes - before.WorkingSetBytes) / (double)tabCount / 1024:0} KB");
}
