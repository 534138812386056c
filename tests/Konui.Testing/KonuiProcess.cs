using System.Collections.Concurrent;
using System.Diagnostics;

namespace Konui.Testing;

/// <summary>
/// One of Konui's programs, built, running as its own process on a free loopback port with its own data folder: the
/// Konui app (Konui.Blazor.dll, konsole embedded) or a standalone konsole (Konsole.dll). Restartable on the same port
/// and data, so tests can check what survives a restart.
/// </summary>
public sealed class KonuiProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private readonly string _program;

    private KonuiProcess(string program, string root, int port, string listenHost, IReadOnlyDictionary<string, string> environment, int? httpsPort = null)
    {
        _program = program;
        Root = root;
        Port = port;
        ListenHost = listenHost;
        _environment = environment;
        HttpsPort = httpsPort;
    }

    /// <summary>The content root: a fresh temp folder; data lives in its data/ folder.</summary>
    public string Root { get; }

    public int Port { get; }

    /// <summary>The address Konui binds to; tests reach it over loopback either way.</summary>
    public string ListenHost { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>A second address, over https, when Konui was started with one (its certificate is the test's to configure).</summary>
    public int? HttpsPort { get; }

    public string HttpsUrl => $"https://127.0.0.1:{HttpsPort ?? throw new InvalidOperationException("Konui listens on http only.")}";

    public string DataDir => Path.Combine(Root, "data");

    public string KontasksFile => Path.Combine(DataDir, "kontasks.jsonl");

    /// <summary>How the app's process exited; null while it runs (or before it started).</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    /// <summary>Everything the app printed, stdout and stderr.</summary>
    public IEnumerable<string> Output => _output;

    /// <summary>
    /// Starts Konui listening on <paramref name="listenHost"/> and a free port; with <paramref name="https"/>, also over
    /// https on another free port (Urls "http://...;https://...", as the README shows).
    /// </summary>
    public static Task<KonuiProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, string listenHost = "127.0.0.1", bool https = false) =>
        StartAsync("Konui.Blazor", environment, listenHost, httpsPort: https ? FreePort.Next() : null);

    /// <summary>Konsole on its own, as `dotnet run --project src/Konsole` runs it.</summary>
    public static Task<KonuiProcess> StartKonsoleAsync(IReadOnlyDictionary<string, string>? environment = null, int? port = null) =>
        StartAsync("Konsole", environment, "127.0.0.1", port);

    private static async Task<KonuiProcess> StartAsync(string program, IReadOnlyDictionary<string, string>? environment, string listenHost, int? port = null,
        int? httpsPort = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "konui-app-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "data"));
        var app = new KonuiProcess(program, root, port ?? FreePort.Next(), listenHost, environment ?? new Dictionary<string, string>(), httpsPort);
        await app.StartProcessAsync();
        return app;
    }

    public static string AppPath(string program = "Konui.Blazor")
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var path = Path.Combine(RepoRoot.Find(), "src", program, "bin", configuration, "net10.0", program + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{program} is not built at {path}: build the solution first.", path);
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AppPath(_program), "--urls", $"http://{ListenHost}:{Port}" + (HttpsPort is { } https ? $";https://{ListenHost}:{https}" : ""), "--contentRoot", Root },
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Konui__DataDir"] = DataDir;
        start.Environment["Konsole__DataDir"] = DataDir;
        start.Environment["Logging__LogLevel__Default"] = "Information";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        foreach (var (key, value) in _environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw new InvalidOperationException($"{_program} exited with {process.ExitCode}:\n{string.Join('\n', _output)}");
            }
            try
            {
                // Our own process must say it listens on our port: an answer alone could come from another app that
                // took the port between FreePort.Next() and our bind.
                if (_output.Any(line => line.Contains($"Now listening on: http://{ListenHost}:{Port}", StringComparison.Ordinal)))
                {
                    using var response = await http.GetAsync(BaseUrl + "/favicon.svg");
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{_program} did not answer at {BaseUrl} within 60 s:\n{string.Join('\n', _output)}");
    }

    /// <summary>Kills the app at once (SIGKILL), as a crash or a power cut would: nothing gets to clean up.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>Starts the app again on the same port and data, after <see cref="StopAsync"/> or <see cref="KillAsync"/>.</summary>
    public Task StartAgainAsync() => StartProcessAsync();

    /// <summary>Stops the app the way a user's Ctrl+C does (SIGTERM), killing it if it does not exit in 10 s.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process) return;
        Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
