using System.Collections.Concurrent;
using System.Diagnostics;

namespace Konui.Testing;

/// <summary>
/// One of Konui's programs, built, running as its own process on a free loopback port with its own data folder: the
/// Konui app (Konui.Blazor.dll, konsole embedded) or a standalone konsole (Konsole.dll). Restartable on the same port
/// and data, so tests can check what survives a restart. Benchmarks <see cref="Launch"/> it over a folder they filled
/// and time its start.
/// </summary>
public sealed class KonuiProcess : IAsyncDisposable
{
    /// <summary>The Konui app, konsole embedded.</summary>
    public const string Konui = "Konui.Blazor";

    /// <summary>Konsole on its own.</summary>
    public const string Konsole = "Konsole";

    /// <summary>How long a program may take to start listening, and then to answer.</summary>
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);

    /// <summary>How often a program is started on ports of our choosing when another process takes one of them first.</summary>
    private const int StartAttempts = 3;

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly bool _ownsRoot;
    private Process? _process;
    private long _startedAt;
    private TaskCompletionSource<TimeSpan> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string _program;

    private KonuiProcess(string program, string root, bool ownsRoot, int port, string listenHost, IReadOnlyDictionary<string, string> environment,
        int? httpsPort = null)
    {
        _program = program;
        Root = root;
        _ownsRoot = ownsRoot;
        Port = port;
        ListenHost = listenHost;
        _environment = environment;
        HttpsPort = httpsPort;
    }

    /// <summary>The content root (a fresh temp folder unless the caller gave one); data lives in its data/ folder.</summary>
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

    /// <summary>The process's id while it runs.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"{_program} has not started.");

    /// <summary>The time since the process was (last) started.</summary>
    public TimeSpan SinceStart => Stopwatch.GetElapsedTime(_startedAt);

    /// <summary>From starting the process to its "Now listening" line (once it printed it).</summary>
    public TimeSpan StartUp => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : throw new InvalidOperationException($"{_program} has not said it listens yet.");

    /// <summary>The CPU time the process has used so far, user and system.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException($"{_program} has not started.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Starts Konui listening on <paramref name="listenHost"/> and a free port; with <paramref name="https"/>, also over
    /// https on another free port (Urls "http://...;https://...", as the README shows).
    /// </summary>
    public static Task<KonuiProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, string listenHost = "127.0.0.1", bool https = false) =>
        StartAsync(Konui, environment, listenHost, https: https);

    /// <summary>Konsole on its own, as `dotnet run --project src/Konsole` runs it.</summary>
    public static Task<KonuiProcess> StartKonsoleAsync(IReadOnlyDictionary<string, string>? environment = null, int? port = null) =>
        StartAsync(Konsole, environment, "127.0.0.1", port);

    /// <summary>
    /// Starts <paramref name="program"/> over a fresh folder, on <paramref name="port"/> or a free one. A port of our
    /// choosing was free a moment before the program binds it (<see cref="FreePort"/>); when another process took it
    /// meanwhile, the program is started again, over another fresh folder, on other free ports.
    /// </summary>
    private static async Task<KonuiProcess> StartAsync(string program, IReadOnlyDictionary<string, string>? environment, string listenHost, int? port = null,
        bool https = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var root = Path.Combine(Path.GetTempPath(), "konui-app-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(root, "data"));
            var app = new KonuiProcess(program, root, ownsRoot: true, port ?? FreePort.Next(), listenHost, environment ?? new Dictionary<string, string>(),
                https ? FreePort.Next() : null);
            try
            {
                await app.StartProcessAsync();
                return app;
            }
            catch (InvalidOperationException) when (port is null && attempt < StartAttempts && app.FoundItsPortTaken)
            {
                await app.DisposeAsync();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Whether the program exited because a port it was to listen on was taken.</summary>
    private bool FoundItsPortTaken => ExitCode is not null && _output.Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Starts <paramref name="program"/> over <paramref name="root"/>, a folder the caller made and deletes (data in its
    /// data/ folder), and returns at once: wait with <see cref="WaitUntilListeningAsync"/> or <see cref="WaitUntilAnsweringAsync"/>.
    /// </summary>
    public static KonuiProcess Launch(string program, string root, IReadOnlyDictionary<string, string> environment)
    {
        Directory.CreateDirectory(Path.Combine(root, "data"));
        var app = new KonuiProcess(program, root, ownsRoot: false, FreePort.Next(), "127.0.0.1", environment);
        app.LaunchProcess();
        return app;
    }

    /// <summary>A client for the program's API: its base address, no timeout.</summary>
    public HttpClient NewHttpClient() => new() { BaseAddress = new Uri(BaseUrl + "/"), Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The first line the program printed that contains <paramref name="text"/>, if any.</summary>
    public string? OutputLine(string text) => _output.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));

    public static string AppPath(string program = Konui)
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

    /// <summary>
    /// Starts the process and waits until it says it listens on our port (an answer alone could come from another app
    /// that took the port between FreePort.Next() and our bind) and answers.
    /// </summary>
    private async Task StartProcessAsync()
    {
        LaunchProcess();
        await WaitUntilListeningAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await WaitUntilAnsweringAsync(http, TimeSpan.FromMilliseconds(100));
    }

    private void LaunchProcess()
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

        var listening = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var line = $"Now listening on: http://{ListenHost}:{Port}";
        _listening = listening;
        _startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _output.Enqueue(e.Data);
            if (e.Data.Contains(line, StringComparison.Ordinal)) listening.TrySetResult(SinceStart);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits until the program says it listens on our port; fails if it exits or takes longer than a minute.</summary>
    public async Task WaitUntilListeningAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"{_program} has not started.");
        using var patience = new CancellationTokenSource(StartPatience);
        var exited = process.WaitForExitAsync(patience.Token);
        if (await Task.WhenAny(_listening.Task, exited) == _listening.Task) return;
        if (process.HasExited) throw new InvalidOperationException($"{_program} exited with {process.ExitCode}:\n{string.Join('\n', _output)}");
        throw new TimeoutException($"{_program} did not listen at {BaseUrl} within {StartPatience.TotalSeconds:0} s:\n{string.Join('\n', _output)}");
    }

    /// <summary>Asks for a static file every <paramref name="poll"/> until the program answers; returns the time since its process started.</summary>
    public async Task<TimeSpan> WaitUntilAnsweringAsync(HttpClient http, TimeSpan poll)
    {
        var process = _process ?? throw new InvalidOperationException($"{_program} has not started.");
        while (SinceStart < StartPatience)
        {
            if (process.HasExited) throw new InvalidOperationException($"{_program} exited with {process.ExitCode}:\n{string.Join('\n', _output)}");
            try
            {
                using var response = await http.GetAsync(BaseUrl + "/favicon.svg");
                return SinceStart;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(poll);
        }
        throw new TimeoutException($"{_program} did not answer at {BaseUrl} within {StartPatience.TotalSeconds:0} s:\n{string.Join('\n', _output)}");
    }

    /// <summary>Kills the app at once (SIGKILL), as a crash or a power cut would: nothing gets to clean up.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>
    /// Freezes the process (SIGSTOP), as a machine that hangs or drops off the network looks to its peers: connections
    /// stay open and nothing answers. Its child processes (the CLI) go on. <see cref="Continue"/> lets it go on.
    /// </summary>
    public void Freeze() => Signal("-STOP");

    /// <summary>Lets a frozen process go on (SIGCONT) from where it stopped.</summary>
    public void Continue() => Signal("-CONT");

    private void Signal(string signal)
    {
        var process = _process is { HasExited: false } running ? running : throw new InvalidOperationException($"{_program} is not running.");
        using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) ?? throw new InvalidOperationException("kill did not start");
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill {signal} {process.Id} failed with {kill.ExitCode}");
    }

    /// <summary>Starts the app again on the same port and data, after <see cref="StopAsync"/> or <see cref="KillAsync"/>.</summary>
    public Task StartAgainAsync() => StartProcessAsync();

    /// <summary>Stops the app the way a user's Ctrl+C does (SIGTERM), killing it if it does not exit in 10 s.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process) return;
        Process.Start("kill", ["-CONT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
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
        if (!_ownsRoot) return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
