using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// One of Konui's built programs (Konui.Blazor.dll with konsole embedded, or Konsole.dll on its own) running as its
/// own process on a free loopback port, over a content root the benchmark made, with its data in the root's data/
/// folder. It answers <see cref="MemoryProbe"/> readings on a socket in the root.
/// </summary>
internal sealed class AppProcess : IDisposable
{
    public const string Konui = "Konui.Blazor";
    public const string Konsole = "Konsole";

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly string _probeSocket;

    private AppProcess(Process process, ConcurrentQueue<string> output, string baseUrl, string probeSocket, TimeSpan startUp)
    {
        _process = process;
        _output = output;
        _probeSocket = probeSocket;
        BaseUrl = baseUrl;
        StartUp = startUp;
    }

    public string BaseUrl { get; }

    /// <summary>From starting the process to its "Now listening" line.</summary>
    public TimeSpan StartUp { get; }

    /// <summary>The CPU time the process has used so far, user and system.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts <paramref name="program"/> over <paramref name="contentRoot"/> (data in its data/ folder) and waits until it listens.</summary>
    public static async Task<AppProcess> StartAsync(string program, string contentRoot, IReadOnlyDictionary<string, string> environment)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var dataDir = Path.Combine(contentRoot, "data");
        Directory.CreateDirectory(dataDir);
        var probeSocket = Path.Combine(contentRoot, "memory-probe.sock");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { KonuiProcess.AppPath(program), "--urls", baseUrl, "--contentRoot", contentRoot },
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Konui__DataDir"] = dataDir;
        start.Environment["Konsole__DataDir"] = dataDir;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__LogLevel__Konsole"] = "Information";
        foreach (var (key, value) in MemoryProbe.Environment(probeSocket)) start.Environment[key] = value;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var listening = $"Now listening on: {baseUrl}";
        while (!output.Any(line => line.Contains(listening, StringComparison.Ordinal)))
        {
            if (process.HasExited || clock.Elapsed > StartPatience)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} did not start listening at {baseUrl}:\n{string.Join('\n', output)}");
            }
            await Task.Delay(5);
        }
        return new AppProcess(process, output, baseUrl, probeSocket, clock.Elapsed);
    }

    public HttpClient NewHttpClient() => new() { BaseAddress = new Uri(BaseUrl + "/"), Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The GC heap after a full collection and the working set, measured inside the process.</summary>
    public Task<MemoryReading> ReadMemoryAsync() => MemoryProbe.ReadAsync(_probeSocket);

    /// <summary>The first line the process printed that contains <paramref name="text"/>, if any.</summary>
    public string? OutputLine(string text) => _output.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>Stops the process as Ctrl+C does (SIGTERM), killing it after 10 s.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
