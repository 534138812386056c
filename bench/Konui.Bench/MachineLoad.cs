using System.Globalization;

namespace Konui.Bench;

/// <summary>
/// How busy all CPUs are, from the "cpu" line of /proc/stat. The machine is shared, so each benchmark waits for a
/// quiet moment before it measures and reports how busy the CPUs were while it did.
/// </summary>
internal sealed record MachineLoad(long BusyTicks, long TotalTicks)
{
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
    /// Waits until the CPUs were at most <paramref name="busyPercent"/> busy for a whole second, or
    /// <paramref name="patience"/> passed; returns how busy the last second was.
    /// </summary>
    public static double WaitForQuiet(double busyPercent = 15, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var before = Now();
            Thread.Sleep(1000);
            var busy = Now().BusyPercentSince(before);
            if (busy <= busyPercent || DateTime.UtcNow >= deadline) return busy;
        }
    }
}
