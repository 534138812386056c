using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// A console session's `claude` process, long-lived across turns: started with --session-id for a new conversation
/// and --resume once the conversation exists (after a crash or a konsole restart, or one made outside konsole). It is
/// resumed in the folder its Claude Code transcript names, since the CLI keeps conversations per folder. Its stdout
/// feeds the current turn; the turn ends with the CLI's result, or with an error when the process exits first.
/// When Claude Code asks whether a tool may run, the turn gets a decision and the CLI waits for its answer (see
/// <see cref="AnswerAsync"/>); the session's mode and model change through control requests while the CLI runs.
/// </summary>
internal sealed class ClaudeSession(string sessionId, bool hasConversation, KonsoleOptions options, ClaudeCli cli, ClaudeTranscripts transcripts,
    SessionSettings settings, PromptQueue queue, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, OpenDecision> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ControlResponse>> _controls = new(StringComparer.Ordinal);
    private ClaudeProcess? _process;
    private bool _closeAfterTurn;
    private Task? _closing;
    private Turn? _current;
    private bool _hasConversation = hasConversation;
    private double _processCostUsd;
    private int _interrupts;
    private IReadOnlyList<(string MediaType, string Base64)> _images = [];

    public string SessionId { get; } = sessionId;

    public SessionSettings Settings { get; } = settings;

    public PromptQueue Queue { get; } = queue;

    /// <summary>Whether a CLI process runs for the session now.</summary>
    public bool CliRunning
    {
        get { lock (_gate) return _process is { HasExited: false }; }
    }

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

    /// <summary>A new session's CLI is a spare konsole started ahead under this session's id: its first prompt goes straight to it.</summary>
    public void Adopt(ClaudeProcess process)
    {
        lock (_gate)
        {
            _process = process;
            _processCostUsd = 0;
            _closeAfterTurn = false;
        }
        _ = Task.Run(() => ReadAsync(process, resumed: false));
    }

    /// <summary>Writes the turn's prompt to the CLI, starting the process when there is none.</summary>
    public async Task SendAsync(Turn turn, IReadOnlyList<(string MediaType, string Base64)> images)
    {
        _images = images;
        await ClosingAsync();
        if (Settings.WorkingDirectory is { } folder && !CliRunning && !Directory.Exists(folder))
        {
            turn.TryEnd(false, $"The session's folder {folder} no longer exists: Claude Code cannot run there. Start a new session.");
            return;
        }
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
            var process = ClaudeProcess.Start(cli.Path, ClaudeCommandLine.Arguments(options, SessionId, resume, Settings.Launch()), ClaudeCommandLine.Environment(options),
                WorkingDirectory(resume), logger, SessionId, cli.Running);
            logger.LogInformation("Started claude (pid {Pid}) for session {Session}{How}", process.Id, SessionId, resume ? ", resuming it" : "");
            _process = process;
            _processCostUsd = 0;
            _closeAfterTurn = false;
            _ = Task.Run(() => ReadAsync(process, resume));
            return process;
        }
    }

    /// <summary>Where the CLI runs: for a resume, the folder the conversation was had in when that folder still exists.</summary>
    private string WorkingDirectory(bool resume)
    {
        var configured = Settings.WorkingDirectory ?? options.WorkingDirectory ?? Directory.GetCurrentDirectory();
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
                    switch (turnEvent)
                    {
                        case ControlResponse response:
                            if (_controls.TryGetValue(response.RequestId, out var waiter)) waiter.TrySetResult(response);
                            continue;
                        case ControlCancel cancel:
                            await WithdrawAsync(cancel.RequestId);
                            continue;
                        case DecisionRequest request:
                            if (IsCurrent(process)) await AskAsync(process, request);
                            continue;
                        case TurnInit init:
                            Settings.ModeIs(init.PermissionMode);
                            Settings.ModelReported(init.Model);
                            break;
                        case TurnStatus status:
                            Settings.ModeIs(status.PermissionMode);
                            break;
                    }
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
            // A revoked rule leaves with the CLI: it is closed now the turn is done, and the next prompt starts one without it.
            var revoked = TakeCloseAfterTurn();
            if (revoked is not null) CloseNow(revoked, "a rule allowed for the session was revoked");
            turn.TryEnd(!result.IsError, ResultError(result), cost);
            if (revoked is null) _ = CloseWhenIdleAsync(turn);
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
        // Claude Code waiting for an answer is told no, with interrupt: that stops the turn the way an interrupt does.
        if (!await DenyForStopAsync(turn))
        {
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
        await Task.Delay(options.IdleTimeout, time);
        ClaudeProcess? idle;
        Task closing;
        lock (_gate)
        {
            // A CLI that waits for an answer is never idle, however long the answer takes.
            idle = _current == last && !WaitsForAnswerLocked() ? _process : null;
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

    public const string NoBypass =
        "Claude Code accepts bypassPermissions only when started with --allow-dangerously-skip-permissions (add it to Konsole:ExtraArguments), and refuses that when run as root.";

    /// <summary>Whether the CLI is started so that it may accept bypassPermissions at all.</summary>
    public bool BypassAllowed => ClaudeCommandLine.AllowsBypass(options);

    /// <summary>
    /// Claude Code asks whether a tool may run: the current turn gets a decision (a decision_request event) and the
    /// CLI waits for its answer. An exact call the user allowed for the session is allowed at once, on the record.
    /// </summary>
    private async Task AskAsync(ClaudeProcess process, DecisionRequest request)
    {
        Turn? turn;
        lock (_gate) turn = _current is { IsEnded: false } current ? current : null;
        var open = turn is null ? null : new OpenDecision(request with { DecisionId = Ids.Decision(time) }, turn, process);
        if (open is not null)
        {
            lock (_gate)
            {
                WaitsForAnswerLocked();
                _open[open.Request.DecisionId] = open;
            }
            open.Turn.Append(open.Request);
        }
        if (open is null || open.Turn.FindOpenDecision(open.Request.DecisionId, out _) is null)
        {
            if (open is not null) lock (_gate) _open.Remove(open.Request.DecisionId);
            logger.LogWarning("claude asked to use {Tool} for session {Session} with no turn running; denied", request.ToolName, SessionId);
            await WriteAsync(process, ClaudeCommandLine.DecisionResponse(request.CliRequestId,
                new JsonObject { ["behavior"] = DecisionResult.Deny, ["message"] = "No turn is running in Konui to ask about this." }));
            return;
        }
        if (Settings.AllowsCall(request.ToolName, request.Input))
        {
            await DecideAsync(open, DecisionAnswers.ByKonsole(open.Request, allow: true, null, false, "allowed for this session"));
            return;
        }
        logger.LogInformation("Turn {Turn} waits for decision {Decision}: may {Tool} run?", open.Turn.TurnId, open.Request.DecisionId, request.ToolName);
        if (options.DecisionTimeout is { } timeout) _ = TimeOutAsync(open, timeout);
    }

    /// <summary>
    /// The user's answer to an open decision: <see cref="DecisionAttempt.NotOpen"/> when the session has no such open
    /// decision, an error when the answer does not fit the request, else what was recorded (or how another answer won).
    /// </summary>
    public async Task<DecisionAttempt> AnswerAsync(string decisionId, DecisionAnswer answer, string by)
    {
        OpenDecision? open;
        lock (_gate) open = _open.GetValueOrDefault(decisionId);
        if (open is null) return DecisionAttempt.NotOpen;
        if (DecisionAnswers.Check(open.Request, answer, BypassAllowed) is { } error) return new DecisionAttempt(false, null, error);
        return await DecideAsync(open, DecisionAnswers.Result(open.Request, answer, by));
    }

    /// <summary>
    /// Records <paramref name="result"/> unless the decision was decided first, then writes the control_response the
    /// CLI waits for (a withdrawn decision needs none). The record comes first, so the log shows the answer before
    /// what the tool did.
    /// </summary>
    private async Task<DecisionAttempt> DecideAsync(OpenDecision open, DecisionResult result)
    {
        var arrived = time.GetTimestamp();
        if (!open.Turn.TryDecide(result, out var recorded)) return new DecisionAttempt(false, recorded, null);
        lock (_gate) _open.Remove(open.Request.DecisionId);
        if (result.Remember == DecisionResult.RememberForSession) Settings.Grant(open.Request);
        if (result.Outcome != DecisionOutcome.Withdrawn)
        {
            await WriteAsync(open.Process, ClaudeCommandLine.DecisionResponse(open.Request.CliRequestId, DecisionAnswers.Response(open.Request, result)));
            logger.LogInformation("Decision {Decision} ({Tool}) on turn {Turn}: {Outcome} by {By}; control_response written {Ms:F2} ms after the answer reached the session",
                open.Request.DecisionId, open.Request.ToolName, open.Turn.TurnId, result.Outcome, result.By, time.GetElapsedTime(arrived).TotalMilliseconds);
        }
        return new DecisionAttempt(true, recorded, null);
    }

    /// <summary>Claude Code no longer waits for one of its requests (a control_cancel_request): its decision is withdrawn.</summary>
    private async Task WithdrawAsync(string cliRequestId)
    {
        OpenDecision? open;
        lock (_gate) open = _open.Values.FirstOrDefault(o => o.Request.CliRequestId == cliRequestId);
        if (open is null) return;
        await DecideAsync(open, new DecisionResult(open.Request.DecisionId, DecisionOutcome.Withdrawn, null, null, null, null, null, false,
            "Claude Code", "Claude Code withdrew the request"));
    }

    /// <summary>A stop while Claude Code waits: each open decision of the turn is denied with interrupt. Returns whether there was one.</summary>
    private async Task<bool> DenyForStopAsync(Turn turn)
    {
        List<OpenDecision> waiting;
        lock (_gate) waiting = _open.Values.Where(o => o.Turn == turn).ToList();
        var denied = false;
        foreach (var open in waiting)
        {
            denied |= (await DecideAsync(open, DecisionAnswers.ByKonsole(open.Request, allow: false, "The user stopped the turn.", interrupt: true, "stopped"))).Recorded is not null;
        }
        return denied;
    }

    private async Task TimeOutAsync(OpenDecision open, TimeSpan timeout)
    {
        await Task.Delay(timeout, time);
        var attempt = await DecideAsync(open, DecisionAnswers.ByKonsole(open.Request, allow: false,
            $"Nobody answered within {timeout}, so konsole denied it.", interrupt: false, "timed out"));
        if (attempt.Recorded is not null) logger.LogInformation("Decision {Decision} on turn {Turn} timed out after {Timeout}: denied", open.Request.DecisionId, open.Turn.TurnId, timeout);
    }

    private async Task WriteAsync(ClaudeProcess process, string line)
    {
        try
        {
            await process.WriteLineAsync(line);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            logger.LogWarning("Claude Code for session {Session} did not take konsole's answer: {Reason}", SessionId, ex.Message);
        }
    }

    /// <summary>Switches the session's permission mode: in the running CLI (set_permission_mode), else for the next one.</summary>
    public async Task<(string? Applied, string? Error)> SetModeAsync(string mode)
    {
        if (mode == PermissionModes.BypassPermissions && !BypassAllowed) return (null, NoBypass);
        var response = await ControlAsync(new JsonObject { ["subtype"] = "set_permission_mode", ["mode"] = mode });
        if (response is { Success: false }) return (null, $"Claude Code refused: {response.Error}");
        Settings.ModeIs(mode);
        return (response is null ? SessionChange.NextStart : SessionChange.Now, null);
    }

    /// <summary>Switches the session's model: in the running CLI (set_model), else for the next one.</summary>
    public async Task<(string? Applied, string? Error)> SetModelAsync(string model)
    {
        var response = await ControlAsync(new JsonObject { ["subtype"] = "set_model", ["model"] = model });
        if (response is { Success: false }) return (null, $"Claude Code refused: {response.Error}");
        Settings.ModelChosen(model);
        return (response is null ? SessionChange.NextStart : SessionChange.Now, null);
    }

    /// <summary>
    /// Takes back something allowed for the session. Claude Code cannot forget a rule while it runs, so its CLI is
    /// closed (now, or after the running turn) and the next prompt resumes the conversation without the rule. An exact
    /// call is konsole's own to forget. Null when the session has no such rule.
    /// </summary>
    public string? Revoke(string ruleId)
    {
        if (Settings.Revoke(ruleId) is not { } rule) return null;
        if (rule.Kind == SessionRule.CallKind) return SessionChange.Now;
        ClaudeProcess? idle;
        lock (_gate)
        {
            if (_process is not { HasExited: false } process) return SessionChange.NextStart;
            if (_current is { IsEnded: false })
            {
                _closeAfterTurn = true;
                return SessionChange.AfterRunningTurn;
            }
            idle = process;
        }
        CloseNow(idle, $"rule {rule.RuleId} was revoked");
        return SessionChange.Now;
    }

    /// <summary>Whether a running turn's decision is open; lets go of those whose turn ended (the turn withdrew them). Call under the gate.</summary>
    private bool WaitsForAnswerLocked()
    {
        foreach (var ended in _open.Where(o => o.Value.Turn.IsEnded).Select(o => o.Key).ToList()) _open.Remove(ended);
        return _open.Count > 0;
    }

    private ClaudeProcess? TakeCloseAfterTurn()
    {
        lock (_gate)
        {
            if (!_closeAfterTurn) return null;
            _closeAfterTurn = false;
            return _process;
        }
    }

    /// <summary>Closes the session's CLI now, the way an idle one is closed; the next prompt waits for it, then resumes the conversation.</summary>
    private void CloseNow(ClaudeProcess process, string why)
    {
        lock (_gate)
        {
            if (_process != process) return;
            _process = null;
            _closing = Task.Run(() => CloseAsync(process));
        }
        logger.LogInformation("Closing claude (pid {Pid}) for session {Session}: {Why}", process.Id, SessionId, why);
    }

    /// <summary>Sends a control request to the running CLI and waits for its answer; null when no CLI runs (or it just went).</summary>
    private async Task<ControlResponse?> ControlAsync(JsonObject request)
    {
        ClaudeProcess? process;
        lock (_gate) process = _process is { HasExited: false } running ? running : null;
        if (process is null) return null;
        var requestId = Ids.Control(time);
        var answer = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _controls[requestId] = answer;
        try
        {
            await process.WriteLineAsync(ClaudeCommandLine.ControlRequest(requestId, request));
            return await answer.Task.WaitAsync(ControlTimeout);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return null;
        }
        catch (TimeoutException)
        {
            return new ControlResponse(requestId, false, null, $"Claude Code did not answer within {ControlTimeout.TotalSeconds:F0} s");
        }
        finally
        {
            _controls.TryRemove(requestId, out _);
        }
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
