using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// One running `claude` process: stdin for user messages and control requests, stdout read by its owner, stderr kept
/// (the last lines) and logged with the session it belongs to. Its reader disposes of it once it has exited; to anyone
/// still holding it then (a shutdown, a stop or an idle close that raced the exit) it is simply gone.
/// </summary>
internal sealed class ClaudeProcess : IDisposable
{
    private const int StderrLinesKept = 40;
    private readonly Process _process;
    private readonly RunningClis _running;
    private readonly Queue<string> _stderr = new();
    private readonly SemaphoreSlim _stdin = new(1, 1);
    private bool _inputClosed;
    private volatile bool _disposed;

    private ClaudeProcess(Process process, RunningClis running)
    {
        _process = process;
        _running = running;
        Id = process.Id;
    }

    public int Id { get; }

    public bool HasExited
    {
        get
        {
            if (_disposed) return true;
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    public StreamReader Output => _process.StandardOutput;

    public string StderrTail
    {
        get { lock (_stderr) return string.Join('\n', _stderr); }
    }

    /// <summary>
    /// Starts the CLI so that it dies with konsole (<see cref="ClaudeLauncher"/>) and is on record in
    /// <paramref name="running"/> until it has exited; throws <see cref="Win32Exception"/> when the executable cannot be run.
    /// </summary>
    public static ClaudeProcess Start(string path, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, ILogger logger, string sessionId, RunningClis running)
    {
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        ClaudeCommandLine.RemoveKonuiSettings(start.Environment);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = ClaudeLauncher.Start(start);
        running.Record(process.Id, sessionId);
        var claude = new ClaudeProcess(process, running);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (claude._stderr)
            {
                claude._stderr.Enqueue(e.Data);
                if (claude._stderr.Count > StderrLinesKept) claude._stderr.Dequeue();
            }
            logger.LogWarning("claude [{Session}] stderr: {Line}", sessionId, e.Data);
        };
        process.BeginErrorReadLine();
        return claude;
    }

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        await _stdin.WaitAsync(cancellationToken);
        try
        {
            if (_inputClosed || _disposed) throw new IOException("the CLI's input is closed");
            await _process.StandardInput.WriteAsync(line + "\n");
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            throw new IOException("the CLI has exited", ex);
        }
        finally
        {
            _stdin.Release();
        }
    }

    /// <summary>Closes stdin, waiting at most <paramref name="wait"/> for a write in progress (else the process is beyond words).</summary>
    public void CloseInput(TimeSpan wait)
    {
        if (!_stdin.Wait(wait)) return;
        try
        {
            if (_inputClosed || _disposed) return;
            _inputClosed = true;
            _process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
        }
        finally
        {
            _stdin.Release();
        }
    }

    public void Signal(int signal)
    {
        if (!HasExited) ProcessSignals.Send(Id, signal);
    }

    public void Kill()
    {
        try
        {
            if (!HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Waits for the process to exit (and its stderr to drain); false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (_disposed) return true;
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // Disposed of by its reader, which does that only once the process has exited.
            return true;
        }
    }

    public int ExitCode => _process.ExitCode;

    public void Dispose()
    {
        _disposed = true;
        _running.Forget(Id);
        _process.Dispose();
    }
}
