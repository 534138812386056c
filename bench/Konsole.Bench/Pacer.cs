using System.Diagnostics;

namespace Konsole.Bench;

/// <summary>
/// Calls an action <c>count</c> times at a steady rate: each call is due at <c>i / perSecond</c> from the start, the
/// thread sleeps until then, and calls that fall behind run back to back, so the average rate holds. A rate of 0 means
/// as fast as possible. Senders stamp their message when they write it, so sleeping late skews the rate, not the latency.
/// </summary>
internal static class Pacer
{
    public static void Run(int count, double perSecond, Action<int> send)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= count; i++)
        {
            if (perSecond > 0)
            {
                var wait = (i - 1) / perSecond * 1000 - clock.Elapsed.TotalMilliseconds;
                if (wait > 0) Thread.Sleep((int)Math.Ceiling(wait));
            }
            send(i);
        }
    }

    /// <summary>
    /// Calls <paramref name="send"/> with each index at its own time, <paramref name="dueMs"/> from the start: the thread
    /// sleeps to within a millisecond of it and spins the rest, so each call goes out on time to a few microseconds.
    /// </summary>
    public static void RunAt(IReadOnlyList<double> dueMs, Action<int> send)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < dueMs.Count; i++)
        {
            var wait = dueMs[i] - clock.Elapsed.TotalMilliseconds;
            if (wait > 1) Thread.Sleep((int)(wait - 1));
            while (clock.Elapsed.TotalMilliseconds < dueMs[i]) Thread.SpinWait(20);
            send(i);
        }
    }
}
