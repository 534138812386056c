using System.Globalization;

namespace Konui.Testing;

/// <summary>Measured durations in milliseconds and their percentiles (nearest rank); NaN while there are none.</summary>
public sealed class Latencies(IEnumerable<double> samples)
{
    private readonly List<double> _samples = [.. samples];
    private double[]? _sorted;

    public Latencies() : this([])
    {
    }

    public int Count => _samples.Count;

    public double Median => Percentile(50);

    public double Max => Count == 0 ? double.NaN : Sorted()[^1];

    public void Add(double milliseconds)
    {
        _samples.Add(milliseconds);
        _sorted = null;
    }

    public double Percentile(double percent)
    {
        var sorted = Sorted();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>A duration as a results table shows it: two places below 10 ms, whole milliseconds above.</summary>
    public static string Format(double milliseconds) =>
        milliseconds.ToString(milliseconds < 10 ? "0.00" : "0", CultureInfo.InvariantCulture);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} p50={Percentile(50):0.00} ms p95={Percentile(95):0.00} ms p99={Percentile(99):0.00} ms max={Max:0.00} ms");

    private double[] Sorted() => _sorted ??= [.. _samples.Order()];
}
