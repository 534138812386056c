using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Konsole.Bench;

/// <summary>
/// Reads the GC heap of another .NET process (Konui) after a full collection. The process is started with this
/// assembly as a startup hook (DOTNET_STARTUP_HOOKS, see <see cref="StartupHook"/>), which listens on a Unix socket;
/// each connection collects the garbage and answers with the heap and working set.
/// </summary>
internal static class MemoryProbe
{
    public const string HookVariable = "DOTNET_STARTUP_HOOKS";
    public const string SocketVariable = "KONSOLE_BENCH_PROBE";

    /// <summary>The environment that makes a .NET process answer the probe on <paramref name="socketPath"/>.</summary>
    public static Dictionary<string, string> Environment(string socketPath) => new(StringComparer.Ordinal)
    {
        [HookVariable] = typeof(MemoryProbe).Assembly.Location,
        [SocketVariable] = socketPath,
    };

    /// <summary>Runs in the probed process: answers each connection with a reading.</summary>
    public static void Serve(string socketPath)
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen();
        while (true)
        {
            using var client = listener.Accept();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var answer = string.Create(CultureInfo.InvariantCulture, $"{GC.GetTotalMemory(false)} {System.Environment.WorkingSet}\n");
            client.Send(Encoding.ASCII.GetBytes(answer));
        }
    }

    public static async Task<MemoryReading> ReadAsync(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var parts = (await reader.ReadLineAsync() ?? "").Split(' ');
        return new MemoryReading(long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
