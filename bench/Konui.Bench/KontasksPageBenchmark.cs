using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Konui.Testing;

namespace Konui.Bench;

/// <summary>
/// Benchmark 3: the Kontasks page with 100,000 kontasks, in the real app built in this harness's configuration.
/// First how long the app takes from process start to answering and to the first page of kontasks, four times: the
/// first without the index file (kontasks.index, so the app indexes kontasks.jsonl from its lines and writes it), the
/// others with the one the previous launch wrote, with two launches of a Konui without kontasks among them (the baseline of
/// the same run: what start-up and a first page cost on this machine today); then GET /kontasks (the server-side prerender of the first page,
/// response read in full) unfiltered, searched and filtered by status.
/// </summary>
internal static partial class KontasksPageBenchmark
{
    public const string Name = "kontasks-page";
    private const int Kontasks = 100_000;
    private const int Launches = 4;
    private const int WarmUp = 5;
    private const int Samples = 50;

    public static async Task<int> RunAsync()
    {
        using var folder = new ScratchFolder("konui-bench-" + Name);
        var dataDir = Path.Combine(folder.Path, "data");
        var bytes = new KontaskGenerator().WriteFile(Path.Combine(dataDir, "kontasks.jsonl"), Kontasks);
        var indexFile = Path.Combine(dataDir, "kontasks.index");
        Console.WriteLine($"{Kontasks:N0} kontasks, {bytes / 1e6:0.0} MB; app: {Path.GetRelativePath(RepoRoot.Find(), KonuiProcess.AppPath())}");
        Console.WriteLine();
        Console.WriteLine("| launch | kontasks.index | answering (favicon.svg) | first GET /kontasks done | that first GET alone | the app's own log: indexing | the app's CPU until then | app peak RSS (VmHWM) | app RSS after | all CPUs busy (Konui included) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var empty = new ScratchFolder("konui-bench-" + Name + "-empty");
        // The baseline of the same run: a Konui with no kontasks at all, before the first launch with them and the last.
        for (var launch = 1; launch <= Launches; launch++)
        {
            if (launch is 1 or Launches) await (await LaunchAsync(http, "empty (baseline)", empty.Path, "none", rows: 0)).DisposeAsync();
            if (launch == 1) File.Delete(indexFile);
            var withIndex = File.Exists(indexFile) ? "read" : "none";
            var app = await LaunchAsync(http, launch.ToString(CultureInfo.InvariantCulture), folder.Path, withIndex, rows: 50);
            await using (app)
            {
                if (launch == Launches) await TimePagesAsync(http, app.BaseUrl);
            }
        }
        return 0;
    }

    /// <summary>Starts the app on <paramref name="root"/>'s data, times its answering and its first GET /kontasks, and prints the row.</summary>
    private static async Task<KonuiProcess> LaunchAsync(HttpClient http, string label, string root, string withIndex, int rows)
    {
        MachineLoad.WaitForQuiet();
        var load = MachineLoad.Now();
        var app = KonuiProcess.Launch(KonuiProcess.Konui, root, new Dictionary<string, string>());
        var answering = await app.WaitUntilAnsweringAsync(http, TimeSpan.FromMilliseconds(10));
        var firstStarted = app.SinceStart;
        var first = await GetAsync(http, app.BaseUrl + "/kontasks");
        var firstDone = app.SinceStart;
        var cpu = app.CpuTime;
        var memory = ResidentMemory.Of(app.ProcessId);
        var busy = MachineLoad.Now().BusyPercentSince(load);
        var indexed = rows == 0 ? "no kontasks" : IndexedTime(app.OutputLine(withIndex == "read" ? "Read the index" : "Indexed"));
        Console.WriteLine($"| {label} | {withIndex} | {answering.TotalMilliseconds:0} ms | {firstDone.TotalMilliseconds:0} ms | {(firstDone - firstStarted).TotalMilliseconds:0} ms | {indexed} | {cpu.TotalMilliseconds:0} ms | {memory.PeakMb:0} MB | {memory.NowMb:0} MB | {busy:0}% |");
        if (first.Rows != rows) throw new InvalidOperationException($"The first page shows {first.Rows} kontasks, not {rows}");
        return app;
    }

    private static async Task TimePagesAsync(HttpClient http, string baseUrl)
    {
        Console.WriteLine();
        Console.WriteLine($"GET over loopback, {WarmUp} warm-up then {Samples} timed requests each, one at a time, response read in full:");
        Console.WriteLine();
        Console.WriteLine("| request | shows | p50 | p95 | max | response | all CPUs busy (Konui and harness included) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var path in new[] { "/kontasks", $"/kontasks?q={KontaskGenerator.RareWord}", "/kontasks?status=completed" })
        {
            MachineLoad.WaitForQuiet();
            var load = MachineLoad.Now();
            var latencies = new Latencies();
            KontasksPageResponse page = default;
            for (var i = 0; i < WarmUp + Samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                page = await GetAsync(http, baseUrl + path);
                if (i >= WarmUp) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            var busy = MachineLoad.Now().BusyPercentSince(load);
            Console.WriteLine($"| GET {path} | {page.Rows} rows, \"{page.CountText}\" | {Latencies.Format(latencies.Median)} ms | {Latencies.Format(latencies.Percentile(95))} ms | {Latencies.Format(latencies.Max)} ms | {page.Bytes / 1024.0:0} KB | {busy:0}% |");
        }
    }

    private static async Task<KontasksPageResponse> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        var count = CountText().Match(html);
        return new KontasksPageResponse(RowMarker().Count(html), count.Success ? count.Groups[1].Value.Trim() : "?", html.Length);
    }

    /// <summary>The time in the store's "Indexed N kontasks from F in 00:00:01.2345678" (or "Read the index of N kontasks from F in ...") log line, in ms.</summary>
    private static string IndexedTime(string? logLine) =>
        logLine is not null && IndexedIn().Match(logLine) is { Success: true } m
            ? $"{TimeSpan.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).TotalMilliseconds:0} ms"
            : "not logged";

    [GeneratedRegex("data-kontask-id=")]
    private static partial Regex RowMarker();

    [GeneratedRegex("kontasks-count\"[^>]*>([^<]*)<")]
    private static partial Regex CountText();

    [GeneratedRegex(@"(?:Indexed|Read the index of) \d+ kontasks from .* in (\S+)")]
    private static partial Regex IndexedIn();
}
