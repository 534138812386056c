using System.Globalization;

namespace Konui.Bench;

/// <summary>A process's resident memory from /proc/&lt;pid&gt;/status: the peak so far (VmHWM) and now (VmRSS), in MB.</summary>
internal sealed record ResidentMemory(double PeakMb, double NowMb)
{
    public static ResidentMemory OfThisProcess() => Read("/proc/self/status");

    public static ResidentMemory Of(int processId) => Read($"/proc/{processId}/status");

    private static ResidentMemory Read(string statusFile)
    {
        var lines = File.ReadAllLines(statusFile);
        return new ResidentMemory(Megabytes(lines, "VmHWM:"), Megabytes(lines, "VmRSS:"));
    }

    private static double Megabytes(string[] lines, string field)
    {
        // e.g. "VmHWM:	  123456 kB"
        var line = lines.Single(l => l.StartsWith(field, StringComparison.Ordinal));
        var kilobytes = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }
}
