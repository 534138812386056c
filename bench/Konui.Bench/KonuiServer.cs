using System.Collections.Concurrent;
using System.Diagnostics;
using Konui.Testing;

namespace Konui.Bench;

/// <summary>
/// The built Konui app (Konui.Blazor.dll of this harness's configuration) started as its own process on a free
/// loopback port, over a content root whose data folder the benchmark filled beforehand.
/// </summary>
internal sealed class KonuiServer : IDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Stopwatch _sinceStart;
    private readonly ConcurrentQueue<string> _output = new();

    private KonuiServer(Process process, Stopwatch sinceStart, string baseUrl)
    {
        _process = process;
        _sinceStart = sinceStart;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public TimeSpan SinceStart => _sinceStart.Elapsed;

    public ResidentMemory Memory => ResidentMemory.Of(_process.Id);

    /// <summary>The CPU time the app has used so far: on a busy machine a steadier figure than the wall clock.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Everything the app printed so far, stdout and stderr.</summary>
    public IEnumerable<string> Output => _output;

    public static KonuiServer Start(string contentRoot, string dataDir)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { KonuiProcess.AppPath(), "--urls", baseUrl, "--contentRoot", contentRoot },
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Konui__DataDir"] = dataDir;
        start.Environment["Logging__LogLevel__Default"] = "Information";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var sinceStart = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        return new KonuiServer(process, sinceStart, baseUrl);
    }

    /// <summary>Polls a static file every 10 ms until the app answers; returns the time since the process started.</summary>
    public async Task<TimeSpan> WaitUntilAnsweringAsync(HttpClient http)
    {
        while (_sinceStart.Elapsed < StartPatience)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Konui exited with {_process.ExitCode}:\n{string.Join('\n', _output)}");
            try
            {
                using var response = await http.GetAsync(BaseUrl + "/favicon.svg");
                return _sinceStart.Elapsed;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"Konui did not answer at {BaseUrl} within {StartPatience.TotalSeconds:0} s:\n{string.Join('\n', _output)}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
