using System.Globalization;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// Streams stamped words into a browser page and collects when each landed in its DOM: from the stand-in CLI through
/// konsole and Konui to the Dashboard, or from the <see cref="EchoServer"/> baseline straight to its page.
/// </summary>
internal static class DashboardStreams
{
    /// <summary>The Dashboard's circuit is live (the same wait the end-to-end tests use).</summary>
    public const string DashboardReady = ".dashboard[data-interactive=true]";

    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    public static string DashboardUrl(KonsoleTurns konui) => $"{konui.App.BaseUrl}/?session={konui.SessionId}";

    /// <summary>The current page is the echo page: pushes the words and returns their arrivals.</summary>
    public static async Task<List<DeltaArrival>> EchoAsync(Chromium browser, EchoServer echo, int count, double perSecond)
    {
        browser.Observe(DeltaStamp.NowMicros());
        await echo.PushAsync(count, perSecond);
        await browser.WaitForArrivalsAsync(count, Drain);
        return browser.Arrivals();
    }

    /// <summary>The current page is the Dashboard: sends the plan as a prompt from its prompt box and returns the words' arrivals.</summary>
    public static async Task<List<DeltaArrival>> DashboardAsync(Chromium browser, DeltaPlan plan)
    {
        browser.Observe(DeltaStamp.NowMicros());
        browser.SendPrompt(plan.Prompt);
        await browser.WaitForArrivalsAsync(plan.Deltas, TimeSpan.FromSeconds(plan.Deltas / plan.PerSecond) + Drain);
        return browser.Arrivals();
    }

    /// <summary>Latencies by the second (since the first word was written) in which each word was written.</summary>
    public static IEnumerable<(int Second, Latencies Latencies)> BySecond(IReadOnlyList<DeltaArrival> arrivals)
    {
        if (arrivals.Count == 0) return [];
        var sent = arrivals.Select(a => (Sent: a.ArrivedMicros - (long)(a.LatencyMs * 1000), a.LatencyMs)).ToList();
        var first = sent.Min(s => s.Sent);
        return sent.GroupBy(s => (int)((s.Sent - first) / 1_000_000)).OrderBy(g => g.Key)
            .Select(g => (g.Key, new Latencies(g.Select(s => s.LatencyMs))));
    }

    /// <summary>How the Dashboard compares with the baseline: at p99 as a ratio, at p50 (a fraction of a ms for the baseline) as a difference.</summary>
    public static string Compare(Latencies dashboard, Latencies baseline) => string.Create(CultureInfo.InvariantCulture,
        $"against the baseline: p50 +{dashboard.Percentile(50) - baseline.Percentile(50):0.0} ms, p99 {dashboard.Percentile(99) / baseline.Percentile(99):0.0}x ({dashboard.Percentile(99):0.0} vs {baseline.Percentile(99):0.0} ms)");
}
