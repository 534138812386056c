using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// Konui's programs as these benchmarks run them (a <see cref="KonuiProcess"/> over a folder the benchmark made): they
/// log warnings only, besides the start-up lines and konsole's own, and answer <see cref="MemoryProbe"/> readings on a
/// socket in the folder.
/// </summary>
internal static class MeasuredApp
{
    /// <summary>Starts <paramref name="program"/> over <paramref name="root"/> and waits until it listens.</summary>
    public static async Task<KonuiProcess> StartAsync(string program, string root, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__Konsole"] = "Information",
        };
        foreach (var (key, value) in MemoryProbe.Environment(ProbeSocket(root))) settings[key] = value;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) settings[key] = value;
        var app = KonuiProcess.Launch(program, root, settings);
        try
        {
            await app.WaitUntilListeningAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The program's GC heap after a full collection and its working set, measured inside it.</summary>
    public static Task<MemoryReading> ReadMemoryAsync(KonuiProcess app) => MemoryProbe.ReadAsync(ProbeSocket(app.Root));

    private static string ProbeSocket(string root) => Path.Combine(root, "memory-probe.sock");
}
