using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// One running `claude` process: stdin for user messages and control requests, stdout read by its owner, stderr kept
/// (the last lines) and logged with the session it belongs to.
/// </summary>
internal sealed class ClaudeProcess : IDisposable
{
    private const int StderrLinesKept = 40;
    private readonly Process _process;
    private readonly Queue<string> _stderr = new();
    private readonly SemaphoreSlim _stdin = new(1, 1);
    private bool _inputClosed;

    private ClaudeProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public StreamReader Output => _process.StandardOutput;

    public string StderrTail
    {
        get { lock (_stderr) return string.Join('\n', _stderr); }
    }

    /// <summary>Starts the CLI; throws <see cref="Win32Exception"/> when the executable cannot be run.</summary>
    public static ClaudeProcess Start(string path, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, ILogger logger, string sessionId)
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
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new Win32Exception($"{path} did not start");
        var claude = new ClaudeProcess(process);
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
            if (_inputClosed) throw new IOException("the CLI's input is closed");
            await _process.StandardInput.WriteAsync(line + "\n");
            await _process.StandardInput.FlushAsync(cancellationToken);
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
            if (_inputClosed) return;
            _inputClosed = true;
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        finally
        {
            _stdin.Release();
        }
    }

    public void Signal(int signal)
    {
        if (!_process.HasExited) ProcessSignals.Send(_process.Id, signal);
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Waits for the process to exit (and its stderr to drain); false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
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
    }

    public int ExitCode => _process.ExitCode;

    public void Dispose()
    {
        _process.Dispose();
        _stdin.Dispose();
    }
}
