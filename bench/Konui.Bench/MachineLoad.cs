using System.Globalization;

namespace Konui.Bench;

/// <summary>
/// How busy all CPUs are, from the "cpu" line of /proc/stat. The machine is shared, so each benchmark waits for a
/// quiet moment before it measures and reports how busy the CPUs were while it did.
/// </summary>
internal sealed record MachineLoad(long BusyTicks, long TotalTicks)
{
    private const double QuietBusyPercent = 15;
    private static readonly TimeSpan QuietPatience = TimeSpan.FromSeconds(10);

    public static MachineLoad Now()
    {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks[..8].Sum();
        var idle = ticks[3] + ticks[4];
        return new MachineLoad(total - idle, total);
    }

    /// <summary>The share of all CPUs' time that was busy since <paramref name="earlier"/>, in percent.</summary>
    public double BusyPercentSince(MachineLoad earlier)
    {
        var total = TotalTicks - earlier.TotalTicks;
        return total == 0 ? 0 : 100.0 * (BusyTicks - earlier.BusyTicks) / total;
    }

    /// <summary>
    /// Waits until the CPUs were at most 15% busy for a whole second, or 10 seconds passed.
    /// </summary>
    public static void WaitForQuiet()
    {
        var deadline = DateTime.UtcNow + QuietPatience;
        while (true)
        {
            var before = Now();
            Thread.Sleep(1000);
            if (Now().BusyPercentSince(before) <= QuietBusyPercent || DateTime.UtcNow >= deadline) return;
        }
    }
}
