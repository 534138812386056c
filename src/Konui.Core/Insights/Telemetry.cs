using Konui.Core.Konsole;

namespace Konui.Core.Insights;

/// <summary>
/// Computes the Telemetry page from turn summaries. Every number comes from what the CLI reported (its result's usage
/// and total_cost_usd, konsole's timing of the events), never from a price table.
/// </summary>
public static class Telemetry
{
    public static TelemetrySnapshot Compute(IEnumerable<TurnSummary> turns, DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, string? sessionId = null)
    {
        var inRange = turns.Where(t => t.StartedAt >= from && t.StartedAt < to && t.State == TurnState.Ended)
            .Where(t => sessionId is null || t.SessionId == sessionId)
            .ToList();
        var hourly = to - from <= TimeSpan.FromDays(2);
        var buckets = inRange
            .GroupBy(t => BucketStart(TimeZoneInfo.ConvertTime(t.StartedAt, zone).DateTime, hourly))
            .OrderBy(g => g.Key)
            .Select(g => new TelemetryBucket(
                g.Key,
                g.Count(),
                Average(g.Select(t => t.Timing?.TotalMs)),
                Average(g.Select(t => t.Timing?.TtfeMs)),
                g.Sum(t => t.Usage?.InputTokens ?? 0),
                g.Sum(t => t.Usage?.OutputTokens ?? 0),
                g.Sum(t => t.Usage?.CacheCreationInputTokens ?? 0),
                g.Sum(t => t.Usage?.CacheReadInputTokens ?? 0),
                g.Sum(t => t.CostUsd ?? 0)))
            .ToList();
        var tools = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var turn in inRange)
        {
            foreach (var (name, count) in turn.ToolCalls ?? new Dictionary<string, int>()) tools[name] = tools.GetValueOrDefault(name) + count;
        }
        var totalMs = inRange.Sum(t => t.Timing?.TotalMs ?? 0);
        return new TelemetrySnapshot(
            inRange.Count,
            inRange.Count(t => t.Success == true),
            hourly,
            buckets,
            tools.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).ToList(),
            Share(inRange.Sum(t => t.Timing?.ThinkingMs ?? 0), totalMs),
            Share(inRange.Sum(t => t.Timing?.ToolExecutionMs ?? 0), totalMs),
            Share(inRange.Sum(t => t.Timing?.TtfeMs ?? 0), totalMs),
            Percentiles.Of(inRange.Select(t => t.Timing?.TotalMs).OfType<double>()),
            Percentiles.Of(inRange.Select(t => t.Timing?.TtfeMs).OfType<double>()),
            Percentiles.Of(inRange.Select(t => t.CostUsd).OfType<double>()));
    }

    private static DateTime BucketStart(DateTime local, bool hourly) =>
        hourly ? new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0) : local.Date;

    private static double Average(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? 0 : known.Average();
    }

    private static double Share(double part, double total) => total > 0 ? Math.Round(part / total * 100, 1) : 0;
}
