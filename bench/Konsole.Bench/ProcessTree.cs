using System.Diagnostics;
using System.Globalization;

namespace Konsole.Bench;

/// <summary>A process and all its descendants, from /proc: how much CPU time they have used.</summary>
internal static class ProcessTree
{
    public static TimeSpan CpuTime(int rootId)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")))
        {
            if (!int.TryParse(Path.GetFileName(Path.GetDirectoryName(stat)), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) continue;
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (IOException)
            {
                continue;
            }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var parent = int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(id);
        }
        var total = TimeSpan.Zero;
        var pending = new Stack<int>([rootId]);
        while (pending.TryPop(out var id))
        {
            try
            {
                using var process = Process.GetProcessById(id);
                total += process.TotalProcessorTime;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
            }
            foreach (var child in children.GetValueOrDefault(id) ?? []) pending.Push(child);
        }
        return total;
    }
}
