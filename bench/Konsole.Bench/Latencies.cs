using System.Globalization;

namespace Konsole.Bench;

/// <summary>Samples in milliseconds and their percentiles (nearest rank).</summary>
internal sealed class Latencies(IEnumerable<double> samples)
{
    private readonly double[] _sorted = samples.Order().ToArray();

    public int Count => _sorted.Length;

    public double Percentile(double p) =>
        _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(p / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} p50={Percentile(50):0.00} ms p95={Percentile(95):0.00} ms p99={Percentile(99):0.00} ms max={Max:0.00} ms");
}
