using System.ComponentModel;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// A console session's `claude` process, long-lived across turns: started with --session-id for a new conversation
/// and --resume once the conversation exists (after a crash or a konsole restart, or one made outside konsole). It is
/// resumed in the folder its Claude Code transcript names, since the CLI keeps conversations per folder. Its stdout
/// feeds the current turn; the turn ends with the CLI's result, or with an error when the process exits first.
/// </summary>
internal sealed class ClaudeSession(string sessionId, bool hasConversation, KonsoleOptions options, ClaudeCli cli, ClaudeTranscripts transcripts,
    ILogger logger)
{
    private readonly Lock _gate = new();
    private ClaudeProcess? _process;
    private Task? _closing;
    private Turn? _current;
    private bool _hasConversation = hasConversation;
    private double _processCostUsd;
    private int _interrupts;
    private IReadOnlyList<(string MediaType, string Base64)> _images = [];

    public string SessionId { get; } = sessionId;

    public Turn? Current
    {
        get { lock (_gate) return _current is { IsEnded: false } turn ? turn : null; }
    }

    /// <summary>Makes <paramref name="turn"/> the current one, or returns the turn that is still running.</summary>
    public Turn? TryClaim(Turn turn)
    {
        lock (_gate)
        {
            if (_current is { IsEnded: false } running) return running;
            _current = turn;
            return null;
        }
    }

    /// <summary>Writes the turn's prompt to the CLI, starting the process when there is none.</summary>
    public async Task SendAsync(Turn turn, IReadOnlyList<(string MediaType, string Base64)> images)
    {
        _images = images;
        await ClosingAsync();
        ClaudeProcess process;
        try
        {
            process = EnsureProcess();
        }
        catch (Win32Exception ex)
        {
            turn.TryEnd(false, ClaudeCli.NotFoundMessage + $" ({cli.Path}: {ex.Message})");
            cli.MarkMissing(ex.Message);
            return;
        }
        if (turn.IsEnded) return;
        try
        {
            await process.WriteLineAsync(ClaudeCommandLine.UserMessage(turn.Start.RequestId, turn.Start.Prompt, images));
            turn.PromptWritten();
        }
        catch (IOException ex)
        {
            turn.TryEnd(false, $"Claude Code did not take the prompt: {ex.Message}");
        }
    }

    private ClaudeProcess EnsureProcess()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false } running) return running;
            var resume = _hasConversation;
            var process = ClaudeProcess.Start(cli.Path, ClaudeCommandLine.Arguments(options, SessionId, resume), options.Environment,
                WorkingDirectory(resume), logger, SessionId, cli.Running);
            logger.LogInformation("Started claude (pid {Pid}) for session {Session}{How}", process.Id, SessionId, resume ? ", resuming it" : "");
            _process = process;
            _processCostUsd = 0;
            _ = Task.Run(() => ReadAsync(process, resume));
            return process;
        }
    }

    /// <summary>Where the CLI runs: for a resume, the folder the conversation was had in when that folder still exists.</summary>
    private string WorkingDirectory(bool resume)
    {
        var configured = options.WorkingDirectory ?? Directory.GetCurrentDirectory();
        if (!resume || transcripts.Find(SessionId)?.Session.WorkingDirectory is not { } recorded || recorded == configured) return configured;
        if (Directory.Exists(recorded)) return recorded;
        logger.LogWarning("Session {Session} was had in {Folder}, which no longer exists; resuming it in {Configured}", SessionId, recorded, configured);
        return configured;
    }

    private async Task ReadAsync(ClaudeProcess process, bool resumed)
    {
        var parser = new StreamJsonParser();
        var started = false;
        var conversationMissing = false;
        try
        {
            while (await process.Output.ReadLineAsync() is { } line)
            {
                foreach (var turnEvent in parser.Parse(line))
                {
                    started |= turnEvent is TurnInit;
                    if (resumed && !started && turnEvent is TurnResult { IsError: true } refusal && IsMissingConversation(refusal))
                    {
                        conversationMissing = true;
                        continue;
                    }
                    if (IsCurrent(process)) Deliver(turnEvent);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            logger.LogWarning(ex, "Reading claude's output for session {Session} failed", SessionId);
        }
        await process.WaitForExitAsync(Timeout.InfiniteTimeSpan);
        var code = process.ExitCode;
        logger.LogInformation("claude (pid {Pid}) for session {Session} exited with {Code}", process.Id, SessionId, code);
        Turn? cutOff = null;
        lock (_gate)
        {
            // Only the session's current process speaks for its current turn: a replaced one's late exit does not.
            if (_process == process)
            {
                _process = null;
                cutOff = _current;
            }
        }
        var stderr = process.StderrTail;
        process.Dispose();
        if (resumed && !started && cutOff is { IsEnded: false } && (conversationMissing || stderr.Contains(MissingConversation, StringComparison.Ordinal)))
        {
            await StartOverAsync(cutOff);
            return;
        }
        cutOff?.TryEnd(false, ExitMessage(code, stderr));
    }

    /// <summary>
    /// The CLI had not saved the conversation before it died (it writes its transcript a moment after each turn), so it
    /// cannot be resumed: the turn goes on in a new conversation under the same session id, and says so.
    /// </summary>
    private async Task StartOverAsync(Turn turn)
    {
        logger.LogWarning("Session {Session} could not be resumed: Claude Code had not saved it; starting it anew", SessionId);
        lock (_gate) _hasConversation = false;
        turn.Append(new TurnStatus("Claude Code had not saved this conversation before it stopped, so it continues in a new one: earlier turns are not in its memory."));
        await SendAsync(turn, _images);
    }

    private bool IsCurrent(ClaudeProcess process)
    {
        lock (_gate) return _process == process;
    }

    private void Deliver(TurnEvent turnEvent)
    {
        Turn? turn;
        lock (_gate) turn = _current;
        if (turn is null || turn.IsEnded)
        {
            logger.LogDebug("claude printed {Type} for session {Session} between turns", turnEvent.GetType().Name, SessionId);
            return;
        }
        if (turnEvent is TurnInit) _hasConversation = true;
        turn.Append(turnEvent);
        if (turnEvent is TurnResult result)
        {
            double? cost = null;
            if (result.TotalCostUsd is { } total)
            {
                cost = Math.Max(0, total - _processCostUsd);
                _processCostUsd = total;
            }
            turn.TryEnd(!result.IsError, ResultError(result), cost);
            _ = CloseWhenIdleAsync(turn);
        }
    }

    /// <summary>
    /// Stops the running turn: the CLI's interrupt request first; then, each after <see cref="KonsoleOptions.StopGrace"/>
    /// without a result, SIGINT, closing stdin, SIGTERM and SIGKILL.
    /// </summary>
    public async Task StopAsync(Turn turn)
    {
        turn.MarkStopping();
        ClaudeProcess? process;
        lock (_gate) process = _process;
        if (process is null)
        {
            turn.TryEnd(false, "stopped before Claude Code started");
            return;
        }
        var requestId = $"konsole_interrupt_{Interlocked.Increment(ref _interrupts)}";
        try
        {
            using var grace = new CancellationTokenSource(options.StopGrace);
            await process.WriteLineAsync(ClaudeCommandLine.InterruptRequest(requestId), grace.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            logger.LogWarning("Could not ask claude to stop turn {Turn} ({Reason}); escalating", turn.TurnId, ex.Message);
        }
        var steps = new (string Name, Action Act)[]
        {
            ("SIGINT", () => process.Signal(ProcessSignals.SigInt)),
            ("closing stdin", () => process.CloseInput(options.StopGrace)),
            ("SIGTERM", () => process.Signal(ProcessSignals.SigTerm)),
            ("SIGKILL", process.Kill),
        };
        foreach (var (name, act) in steps)
        {
            if (await EndedWithinAsync(turn, options.StopGrace)) return;
            logger.LogWarning("Turn {Turn} did not stop within {Grace}; {Step}", turn.TurnId, options.StopGrace, name);
            act();
        }
        if (!await EndedWithinAsync(turn, options.StopGrace)) turn.TryEnd(false, "stopped: Claude Code was killed");
    }

    /// <summary>
    /// Closes the CLI when no turn followed <paramref name="last"/> within <see cref="KonsoleOptions.IdleTimeout"/>, the
    /// way the SDK closes it (stdin first, then SIGTERM), so idle sessions do not keep a process each.
    /// </summary>
    private async Task CloseWhenIdleAsync(Turn last)
    {
        await Task.Delay(options.IdleTimeout);
        ClaudeProcess? idle;
        Task closing;
        lock (_gate)
        {
            idle = _current == last ? _process : null;
            if (idle is null) return;
            // The next prompt does not write to this closing CLI: it waits until it has gone (it may still be saving
            // the conversation), then starts one that resumes it.
            _process = null;
            _closing = closing = Task.Run(() => CloseAsync(idle));
        }
        await closing;
    }

    private async Task CloseAsync(ClaudeProcess idle)
    {
        logger.LogInformation("Closing claude (pid {Pid}) for session {Session}: idle for {Idle}", idle.Id, SessionId, options.IdleTimeout);
        idle.CloseInput(options.StopGrace);
        if (await idle.WaitForExitAsync(options.StopGrace)) return;
        idle.Signal(ProcessSignals.SigTerm);
        await idle.WaitForExitAsync(options.StopGrace);
    }

    /// <summary>Waits for an idle CLI being closed, if there is one.</summary>
    private Task ClosingAsync()
    {
        lock (_gate) return _closing ?? Task.CompletedTask;
    }

    /// <summary>Konsole is shutting down: ends the running turn and lets the CLI finish its transcript before it goes.</summary>
    public async Task ShutdownAsync()
    {
        Turn? turn;
        ClaudeProcess? process;
        lock (_gate)
        {
            turn = _current;
            process = _process;
        }
        turn?.TryEnd(false, "interrupted: konsole shut down");
        await ClosingAsync();
        if (process is null) return;
        process.CloseInput(options.StopGrace);
        if (await process.WaitForExitAsync(options.StopGrace)) return;
        process.Signal(ProcessSignals.SigTerm);
        if (await process.WaitForExitAsync(options.StopGrace)) return;
        process.Kill();
    }

    private static async Task<bool> EndedWithinAsync(Turn turn, TimeSpan grace)
    {
        try
        {
            await turn.Ended.WaitAsync(grace);
            return true;
        }
        catch (TimeoutException)
        {
            return turn.IsEnded;
        }
    }

    private const string MissingConversation = "No conversation found";

    private static bool IsMissingConversation(TurnResult result) =>
        (result.ResultText ?? "").Contains(MissingConversation, StringComparison.Ordinal)
        || result.Errors.Any(e => e.Contains(MissingConversation, StringComparison.Ordinal));

    private static string? ResultError(TurnResult result)
    {
        if (!result.IsError) return null;
        if (result.TerminalReason is "aborted_streaming" or "aborted_tools") return "stopped by user";
        return result.ResultText ?? (result.Errors.Count > 0 ? result.Errors[0] : null) ?? $"{result.Subtype} ({result.TerminalReason ?? "no reason given"})";
    }

    private static string ExitMessage(int code, string stderr)
    {
        var how = code switch
        {
            137 or -9 => "was killed (SIGKILL)",
            143 or -15 => "was terminated (SIGTERM)",
            _ => $"exited with code {code}",
        };
        var message = $"Claude Code {how} before the turn finished";
        return string.IsNullOrWhiteSpace(stderr) ? message : $"{message}: {stderr.Trim()}";
    }
}
