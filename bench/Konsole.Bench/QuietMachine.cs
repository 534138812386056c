using System.Globalization;

namespace Konsole.Bench;

/// <summary>
/// The machine is shared (other engineers' builds run on the same cores): before a measurement, wait until the
/// 1-minute load average is at most 1.5, for up to 5 minutes, and report the load measured under.
/// </summary>
internal static class QuietMachine
{
    private const double MaxLoad = 1.5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static double OneMinuteLoad() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>Waits for a quiet machine (unless <paramref name="patient"/> is false); returns the 1-minute load average it starts under.</summary>
    public static double Wait(bool patient = true)
    {
        var deadline = DateTime.UtcNow + (patient ? Patience : TimeSpan.Zero);
        var load = OneMinuteLoad();
        while (load > MaxLoad && DateTime.UtcNow < deadline)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load {load:0.00} > {MaxLoad}: waiting"));
            Thread.Sleep(TimeSpan.FromSeconds(15));
            load = OneMinuteLoad();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1-minute load average at start: {load:0.00}{(load > MaxLoad ? patient ? " (still above 1.5 after 5 minutes)" : " (above 1.5: not waited for)" : "")}"));
        return load;
    }
}
