using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// A file for each CLI konsole runs, under &lt;DataDir&gt;/cli: named by its pid, holding its start time and session.
/// A konsole that is killed leaves its files behind; when konsole starts again it stops every CLI they name that still
/// runs, so a CLI never outlives its konsole for long and a session never has two. The start time (from /proc) tells
/// the CLI from a later process that reuses its pid: only a process whose start time matches is stopped.
/// </summary>
internal sealed class RunningClis(string directory)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public void Record(int pid, string sessionId)
    {
        if (StartTime(pid) is not { } started) return;
        Directory.CreateDirectory(directory);
        File.WriteAllText(PathOf(pid), $"{started} {sessionId}\n");
    }

    public void Forget(int pid)
    {
        try
        {
            File.Delete(PathOf(pid));
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Stops the CLIs an earlier konsole left running: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public void StopLeftovers(TimeSpan grace, ILogger logger)
    {
        if (!Directory.Exists(directory)) return;
        var leftovers = new List<int>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var fields = ReadFields(file);
            if (int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && fields is [var started, var session, ..]
                && StartTime(pid) == started)
            {
                logger.LogWarning("claude (pid {Pid}) for session {Session} outlived the konsole that ran it; stopping it", pid, session);
                ProcessSignals.Send(pid, ProcessSignals.SigTerm);
                leftovers.Add(pid);
            }
            else
            {
                File.Delete(file);
            }
        }
        if (leftovers.Count == 0) return;
        var running = WaitForExit(leftovers, grace);
        foreach (var pid in running)
        {
            logger.LogWarning("claude (pid {Pid}) did not stop within {Grace}; killing it", pid, grace);
            ProcessSignals.Send(pid, ProcessSignals.SigKill);
        }
        foreach (var pid in leftovers.Except(WaitForExit(running, grace))) Forget(pid);
    }

    /// <summary>Waits until the processes are gone; returns those still running after <paramref name="timeout"/>.</summary>
    private static List<int> WaitForExit(List<int> pids, TimeSpan timeout)
    {
        var waiting = Stopwatch.GetTimestamp();
        var running = pids.Where(IsRunning).ToList();
        while (running.Count > 0 && Stopwatch.GetElapsedTime(waiting) < timeout)
        {
            Thread.Sleep(Poll);
            running = running.Where(IsRunning).ToList();
        }
        return running;
    }

    private static bool IsRunning(int pid) => StartTime(pid) is not null;

    private static string[]? ReadFields(string file)
    {
        try
        {
            return File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private string PathOf(int pid) => Path.Combine(directory, pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>When the process started (clock ticks since boot, from /proc/&lt;pid&gt;/stat); null when it is gone or a zombie.</summary>
    private static string? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name in parentheses may hold spaces; the fields after it start with the state (field 3), and the
        // start time is field 22.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && fields[0] != "Z" ? fields[19] : null;
    }
}
