using System.Diagnostics.CodeAnalysis;
using Konsole.Bench;

/// <summary>
/// Runs inside a process started with this assembly in DOTNET_STARTUP_HOOKS (the runtime looks for this type name in
/// the global namespace): when the benchmark asked for it, it serves <see cref="MemoryProbe"/> readings.
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime finds a startup hook by this global type name.")]
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(MemoryProbe.SocketVariable) is not { Length: > 0 } socketPath) return;
        new Thread(() => MemoryProbe.Serve(socketPath)) { IsBackground = true, Name = "benchmark memory probe" }.Start();
    }
}
