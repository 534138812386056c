namespace Konui.Core.Insights;

/// <summary>Where time, tokens and money went over a date range: the Telemetry page's numbers.</summary>
public sealed record TelemetrySnapshot(
    int Turns,
    int Succeeded,
    bool Hourly,
    IReadOnlyList<TelemetryBucket> Buckets,
    IReadOnlyList<KeyValuePair<string, int>> ToolCalls,
    double ThinkingShare,
    double ToolsShare,
    double TtfeShare,
    Percentiles Duration,
    Percentiles Ttfe,
    Percentiles Cost)
{
    public double TotalCostUsd => Buckets.Sum(b => b.CostUsd);

    public long TotalTokens => Buckets.Sum(b => b.InputTokens + b.OutputTokens + b.CacheCreationTokens + b.CacheReadTokens);
}

/// <summary>The median and the 95th percentile of a measure (null when there is nothing to measure).</summary>
public sealed record Percentiles(double? P50, double? P95)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? new Percentiles(null, null) : new Percentiles(At(sorted, 0.50), At(sorted, 0.95));
    }

    private static double At(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
