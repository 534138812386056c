using System.Diagnostics;

namespace Konui.Testing;

/// <summary>
/// Debian's redis-server (build/test.sh installs it when missing) on a free loopback port, its files in a scratch
/// folder (an append-only file, so that a stop and a start keep what it held, as a Redis that went away and came back
/// does). Stoppable and startable again on the same port, for a test of Redis going away.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ScratchFolder _folder = new("konui-redis");
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string Konui:Redis takes.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The CPU time redis-server has used since it (last) started.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException("redis-server is not running.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <param name="port">The port to listen on; default: a free one.</param>
    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        var server = new RedisServer(port ?? FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts it (again, on the same port) and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _folder.Path,
                "--save", "", "--appendonly", "yes", "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while ((await CommandAsync("PING")).Trim() != "PONG")
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20)) throw new InvalidOperationException($"redis-server on port {Port} does not answer.");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops it (SHUTDOWN: its clients see their connections close, as when a network is cut), keeping its data.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) await CommandAsync("SHUTDOWN");
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>A command through redis-cli, its answer as redis-cli prints it (raw: one value a line).</summary>
    public async Task<string> CommandAsync(params string[] command)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--raw" }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }
        using var cli = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        var output = cli.StandardOutput.ReadToEndAsync();
        await cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Dispose();
    }
}
