using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace Konsole;

/// <summary>
/// Starts CLI processes so that they die with konsole, also when konsole is killed (kill -9) and cannot stop them:
/// through util-linux's `setpriv --pdeathsig TERM`, which has the kernel send the CLI SIGTERM when its parent goes.
/// Linux sends that signal when the thread that started the child ends, not the whole process, so every CLI is started
/// from one thread that lives as long as konsole. Without setpriv the CLI is started directly, and
/// <see cref="RunningClis"/> stops what a killed konsole left behind when it starts again.
/// </summary>
internal static class ClaudeLauncher
{
    private static readonly string? Setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];

    static ClaudeLauncher()
    {
        new Thread(StartRequested) { IsBackground = true, Name = "konsole CLI launcher" }.Start();
    }

    /// <summary>Starts the process; throws <see cref="Win32Exception"/> when the executable is not there.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        if (Setpriv is not null)
        {
            // setpriv would fail only after the fork: say at once that the executable is missing, as Process.Start does.
            if (!File.Exists(start.FileName)) throw new Win32Exception(2);
            var arguments = start.ArgumentList.ToList();
            start.ArgumentList.Clear();
            foreach (var argument in (string[])["--pdeathsig", "TERM", "--", start.FileName, .. arguments]) start.ArgumentList.Add(argument);
            start.FileName = Setpriv;
        }
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task.GetAwaiter().GetResult();
    }

    private static void StartRequested()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new Win32Exception($"{start.FileName} did not start"));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
