using System.Globalization;

namespace Konui.Bench;

/// <summary>Measured durations in milliseconds and their percentiles (nearest rank).</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public void Add(double milliseconds) => _milliseconds.Add(milliseconds);

    public double Percentile(double percent)
    {
        if (_milliseconds.Count == 0) throw new InvalidOperationException("No samples were taken.");
        var sorted = _milliseconds.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public double Median => Percentile(50);

    public double Max => _milliseconds.Max();

    public static string Format(double milliseconds) =>
        milliseconds.ToString(milliseconds < 10 ? "0.00" : "0", CultureInfo.InvariantCulture);
}
