using System.Diagnostics;

namespace Konui.Bench;

/// <summary>Starts this harness again as a fresh process with a sub-command, its output redirected.</summary>
internal static class SelfLaunch
{
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Unknown process path");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under "dotnet Konui.Bench.dll" the process is the dotnet host: pass it the harness dll first.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(SelfLaunch).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
