using System.Collections.Immutable;
using Konui.Core.Events;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>
/// The console as one browser tab sees it (one per circuit): which console session is open, its transcript, the
/// turn state, how the session runs (mode, model, rules, queue), and the commands (send or queue a prompt, stop,
/// switch the mode or model, revoke a rule, edit the queue). It rebuilds from the bus and konsole's logs,
/// so a reload, a second tab or a phone shows the same conversation. Components <see cref="Subscribe"/> to hear of
/// changes. Its work runs on the circuit's renderer (the synchronization context its first subscriber subscribed on),
/// where components read its state, so a render never sees a half-applied event.
/// </summary>
public sealed class ConsoleSession(Konsoles konsoles, EventBus bus, KontaskStore store, SessionWatch sessions,
    TimeProvider time, ILogger<ConsoleSession> logger) : IDisposable
{
    /// <summary>How many of a session's latest turns are shown when it is opened.</summary>
    public const int TurnsShown = 30;

    private SynchronizationContext? _renderer;
    private ImmutableArray<Func<ConsoleChange, Task>> _subscribers = [];
    private IDisposable? _sessionEvents;
    private IDisposable? _kontaskEvents;
    private IDisposable? _sessionState;
    private bool _showingNewTurns;
    private string? _stoppingTurnId;
    private int _opening;
    private readonly HashSet<string> _catchingUp = [];

    /// <summary>How long a new turn may be missing from konsole's status (it polls once a second) before it counts as ended.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(3);
    private bool _watching;

    public string? SessionId { get; private set; }

    /// <summary>The machine the open session lives on; before the first prompt of a new one, the machine it will start on.</summary>
    public KonsoleMachine Machine { get; private set; } = konsoles.Local;

    /// <summary>The open session's machine does not answer: its running turn waits there, it is not lost.</summary>
    public bool MachineUnreachable => Machine.IsOffline;

    /// <summary>How the open session runs now (permission mode, model, rules allowed for it, queued prompts); null until konsole knows it.</summary>
    public SessionStatus? SessionStatus { get; private set; }

    /// <summary>
    /// The tab follows the session where a turn starts, from any tab, device or the API: a Dashboard at "/" that has
    /// not started a session of its own.
    /// </summary>
    public bool FollowsLiveTurns { get; private set; }

    public Transcript Transcript { get; private set; } = new();

    /// <summary>The last command that failed, in words; cleared by the next one.</summary>
    public string? Error { get; private set; }

    public bool IsLoading { get; private set; }

    public TranscriptTurn? LastTurn => Transcript.Turns.Count > 0 ? Transcript.Turns[^1] : null;

    public TranscriptTurn? LastEndedTurn => Transcript.Turns.LastOrDefault(t => !t.IsRunning);

    public ConsoleTurnState TurnState => LastTurn is { IsRunning: true } turn
        ? turn.TurnId == _stoppingTurnId ? ConsoleTurnState.Stopping : ConsoleTurnState.Running
        : ConsoleTurnState.Idle;

    /// <summary>Claude Code waits for an answer from the user (a decision of a running turn is pending).</summary>
    public bool Waiting => Transcript.PendingDecisions.Any();

    public TimeSpan? Elapsed => LastTurn is { IsRunning: true } turn ? time.GetUtcNow() - turn.StartedAt : null;

    /// <summary>A running turn silent for this long (no event, no decision waiting) is worth a hint: a long command, or a stuck CLI.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(15);

    /// <summary>How long the running turn has had no output, once that is <see cref="SilentAfter"/> or more; else null.</summary>
    public TimeSpan? Silence => LastTurn is { IsRunning: true, IsWaiting: false } turn && time.GetUtcNow() - turn.LastEventAt is var silent
        && silent >= SilentAfter ? silent : null;

    public KonsoleStatus? KonsoleStatus => Machine.Watch.Status;

    public string? KonsoleProblem => Machine.Watch.Problem;

    /// <summary>
    /// Calls <paramref name="onChange"/> after every change of what the tab shows, on the circuit's renderer, until the
    /// result is disposed. Call it from a component (on its renderer); wrap the handler in the component's InvokeAsync.
    /// </summary>
    public IDisposable Subscribe(Func<ConsoleChange, Task> onChange)
    {
        _renderer ??= SynchronizationContext.Current;
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(onChange));
        if (!_watching)
        {
            _watching = true;
            konsoles.StatusChanged += OnWatchStatus;
            konsoles.MachinesChanged += OnWatchStatus;
            konsoles.TurnFollowed += OnTurnFollowed;
            _kontaskEvents = bus.SubscribeKontasks(e => OnRendererAsync(() => OnKontaskAsync(e)));
        }
        return new ConsoleSubscription(() => ImmutableInterlocked.Update(ref _subscribers, list => list.Remove(onChange)));
    }

    /// <summary>
    /// Opens a console session (null: none yet, the next prompt starts one, on <paramref name="newOn"/> when it names a
    /// machine, else "local"), rebuilding its transcript; with <paramref name="followLiveTurns"/>, the tab then moves to
    /// whichever session a turn starts in.
    /// </summary>
    public async Task OpenAsync(string? sessionId, bool followLiveTurns = false, string? newOn = null)
    {
        FollowsLiveTurns = followLiveTurns;
        string? unknownMachine = null;
        if (sessionId is null)
        {
            var machine = newOn is null ? konsoles.Local : konsoles.Find(newOn);
            if (machine is null) unknownMachine = $"There is no konsole named \"{newOn}\": a new session starts on \"{konsoles.Local.Name}\".";
            var moved = SessionId is null && (machine ?? konsoles.Local) != Machine;
            Machine = machine ?? konsoles.Local;
            if (SessionId is null && (moved || unknownMachine is not null))
            {
                Error = unknownMachine;
                await NotifyAsync(ConsoleChange.All);
            }
        }
        if (sessionId == SessionId && (sessionId is null || _sessionEvents is not null)) return;
        if (sessionId is not null && !Guid.TryParse(sessionId, out _))
        {
            Error = $"'{sessionId}' is not a session id.";
            await NotifyAsync(ConsoleChange.All);
            return;
        }
        var opening = Interlocked.Increment(ref _opening);
        _sessionEvents?.Dispose();
        _sessionEvents = null;
        SessionId = sessionId;
        Transcript = new Transcript();
        _stoppingTurnId = null;
        Error = unknownMachine;
        WatchSession(sessionId);
        await NotifyAsync(ConsoleChange.All);
        if (sessionId is null) return;

        IsLoading = true;
        _sessionEvents = bus.SubscribeSession(sessionId, 0, e => OnRendererAsync(() => ApplyAsync(e)));
        try
        {
            var machine = await konsoles.ForSessionAsync(sessionId);
            if (opening != _opening) return;
            Machine = machine;
            var turns = await machine.Client.GetSessionTurnsAsync(sessionId);
            var transcript = Transcript;
            foreach (var turn in turns.TakeLast(TurnsShown))
            {
                if (opening != _opening) return;
                if (turn.State != Konui.Core.Konsole.TurnState.Ended) machine.Watch.Follow(turn.TurnId, sessionId);
                else if (transcript.Find(turn.TurnId) is not { IsRunning: false }) await FillAsync(transcript, turn.TurnId, untilSeq: null);
                if (opening != _opening) return;
                foreach (var kontask in store.Query(new KontaskQuery(RequestId: turn.RequestId, Take: 100)).Items) transcript.AddKontask(kontask);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
        {
            Error = $"Konsole could not give this session's turns: {ex.Message}";
        }
        finally
        {
            if (opening == _opening) IsLoading = false;
        }
        await NotifyAsync(ConsoleChange.All);
    }

    /// <summary>
    /// Sends a prompt as the next turn of the open session (or of a new one), or of <paramref name="sessionId"/> when
    /// given, or of a brand-new session when <paramref name="newSession"/>. While a turn runs there, the prompt waits in
    /// the session's queue and starts when the turns before it end. A new session runs in
    /// <paramref name="workingDirectory"/> when given (a project folder). Returns null when refused.
    /// </summary>
    public async Task<PromptAccepted?> SendPromptAsync(string text, IReadOnlyList<TurnImage>? images = null, string? sessionId = null, bool newSession = false,
        string? workingDirectory = null)
    {
        Error = null;
        FollowsLiveTurns = false;
        PromptAccepted accepted;
        var target = newSession ? null : sessionId ?? SessionId;
        var machine = target is null || target == SessionId ? Machine : await konsoles.ForSessionAsync(target);
        try
        {
            accepted = await machine.Client.QueueTurnAsync(new TurnRequest(text, target, images is { Count: > 0 } ? images : null,
                WorkingDirectory: target is null ? workingDirectory : null));
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
        {
            Error = ex.Message;
            await NotifyAsync(ConsoleChange.All);
            return null;
        }
        konsoles.Place(accepted.SessionId, machine);
        if (SessionId is null && sessionId is null && !newSession)
        {
            SessionId = accepted.SessionId;
            _sessionEvents = bus.SubscribeSession(accepted.SessionId, 0, e => OnRendererAsync(() => ApplyAsync(e)));
            WatchSession(accepted.SessionId);
        }
        if (accepted.TurnId is { } turnId) machine.Watch.Follow(turnId, accepted.SessionId);
        else sessions.Refresh(accepted.SessionId);
        await NotifyAsync(ConsoleChange.All);
        return accepted;
    }

    /// <summary>Switches the open session's permission mode (see <see cref="PermissionModes"/>); says when it applies, or null when refused.</summary>
    public Task<string?> SetModeAsync(string mode) => ChangeSessionAsync(id => Machine.Client.SetPermissionModeAsync(id, mode), $"switch to {mode}");

    /// <summary>Switches the open session's model; says when it applies, or null when refused.</summary>
    public Task<string?> SetModelAsync(string model) => ChangeSessionAsync(id => Machine.Client.SetModelAsync(id, model), $"switch to the model {model}");

    /// <summary>Takes back something allowed for the open session; says when it applies, or null when refused.</summary>
    public Task<string?> RevokeRuleAsync(string ruleId) => ChangeSessionAsync(id => Machine.Client.RevokeRuleAsync(id, ruleId), "revoke it");

    /// <summary>Gives a queued prompt new text; false when refused (it has started, or konsole did not answer).</summary>
    public Task<bool> EditQueuedAsync(string queuedId, string prompt) =>
        ChangeQueueAsync(id => Machine.Client.EditQueuedAsync(id, queuedId, prompt), "change the queued prompt");

    /// <summary>Takes a prompt out of the queue; false when refused.</summary>
    public Task<bool> RemoveQueuedAsync(string queuedId) => ChangeQueueAsync(id => Machine.Client.RemoveQueuedAsync(id, queuedId), "remove the queued prompt");

    private async Task<string?> ChangeSessionAsync(Func<string, Task<SessionChange>> change, string what)
    {
        if (SessionId is not { } sessionId) return null;
        Error = null;
        try
        {
            var changed = await change(sessionId);
            sessions.Publish(changed.Session);
            return changed.Applied;
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
        {
            Error = $"Could not {what}: {ex.Message}";
            await NotifyAsync(ConsoleChange.All);
            return null;
        }
    }

    private async Task<bool> ChangeQueueAsync(Func<string, Task> change, string what)
    {
        if (SessionId is not { } sessionId) return false;
        Error = null;
        try
        {
            await change(sessionId);
            sessions.Refresh(sessionId);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
        {
            Error = $"Could not {what}: {ex.Message}";
            sessions.Refresh(sessionId);
            await NotifyAsync(ConsoleChange.All);
            return false;
        }
    }

    /// <summary>Hears how the session runs (from konsole, once a second, and at once after a change made here), until another opens.</summary>
    private void WatchSession(string? sessionId)
    {
        _sessionState?.Dispose();
        _sessionState = null;
        SessionStatus = null;
        if (sessionId is null) return;
        _sessionState = sessions.Watch(sessionId, status => _ = OnRendererAsync(() => OnSessionStatusAsync(status)));
    }

    private async Task OnSessionStatusAsync(SessionStatus status)
    {
        if (status.SessionId != SessionId) return;
        var before = SessionStatus;
        SessionStatus = status;
        await NotifyAsync(ConsoleChange.Status);
        // A queued prompt that left the queue started a turn (or was removed): konsole started it, not this tab, and a
        // short turn can start and end between two of konsole's status polls, so it is looked up here.
        var left = before is not null && before.Queue.Any(q => status.Queue.All(n => n.QueuedId != q.QueuedId));
        if (left || status.RunningTurnId is { } running && Transcript.Find(running) is null) await ShowNewTurnsAsync();
    }

    /// <summary>Shows the session's turns this tab has not heard of (newer than those it shows): followed while they run, read when they ended.</summary>
    private async Task ShowNewTurnsAsync()
    {
        if (SessionId is not { } sessionId || IsLoading || _showingNewTurns) return;
        _showingNewTurns = true;
        try
        {
            var transcript = Transcript;
            var machine = Machine;
            IReadOnlyList<TurnSummary> turns;
            try
            {
                turns = await machine.Client.GetSessionTurnsAsync(sessionId);
            }
            catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
            {
                logger.LogWarning("Konsole did not list session {Session}'s turns: {Reason}", sessionId, ex.Message);
                return;
            }
            var since = transcript.Turns.Count > 0 ? transcript.Turns[0].StartedAt : DateTimeOffset.MinValue;
            var filled = false;
            foreach (var turn in turns.Where(t => t.StartedAt >= since && transcript.Find(t.TurnId) is null))
            {
                if (!ReferenceEquals(transcript, Transcript)) return;
                if (turn.State != Konui.Core.Konsole.TurnState.Ended)
                {
                    machine.Watch.Follow(turn.TurnId, sessionId);
                    continue;
                }
                await FillAsync(transcript, turn.TurnId, untilSeq: null);
                foreach (var kontask in store.Query(new KontaskQuery(RequestId: turn.RequestId, Take: 100)).Items) transcript.AddKontask(kontask);
                filled = true;
            }
            if (filled && ReferenceEquals(transcript, Transcript)) await NotifyAsync(ConsoleChange.All);
        }
        finally
        {
            _showingNewTurns = false;
        }
    }

    public async Task StopAsync()
    {
        if (LastTurn is not { IsRunning: true } turn) return;
        _stoppingTurnId = turn.TurnId;
        await NotifyAsync(ConsoleChange.All);
        try
        {
            await Machine.Client.StopTurnAsync(turn.TurnId);
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
        {
            Error = $"Could not stop the turn: {ex.Message}";
            _stoppingTurnId = null;
            await NotifyAsync(ConsoleChange.All);
        }
    }

    private async Task ApplyAsync(ConsoleEvent consoleEvent)
    {
        if (consoleEvent.SessionId != SessionId) return;
        var transcript = Transcript;
        var outcome = transcript.Apply(consoleEvent.TurnId, consoleEvent.Event);
        if (outcome == ApplyOutcome.Gap)
        {
            await FillAsync(transcript, consoleEvent.TurnId, untilSeq: consoleEvent.Event.Seq - 1);
            if (!ReferenceEquals(transcript, Transcript)) return;
            outcome = transcript.Apply(consoleEvent.TurnId, consoleEvent.Event);
        }
        if (outcome != ApplyOutcome.Applied) return;
        if (consoleEvent.Event is TurnStart start)
        {
            foreach (var kontask in store.Query(new KontaskQuery(RequestId: start.RequestId, Take: 100)).Items) Transcript.AddKontask(kontask);
        }
        if (consoleEvent.Event is TurnEnd && consoleEvent.TurnId == _stoppingTurnId) _stoppingTurnId = null;
        var change = consoleEvent.Event is TurnStart or TurnInit or TurnResult or TurnEnd or DecisionRequest or DecisionResult ? ConsoleChange.All : ConsoleChange.Transcript;
        await NotifyAsync(ChangesFiles(transcript, consoleEvent) ? change | ConsoleChange.Files : change);
    }

    /// <summary>The tools whose result means files may have changed in the session's folder.</summary>
    private static readonly HashSet<string> FileTools = new(StringComparer.Ordinal) { "Write", "Edit", "MultiEdit", "Bash" };

    private static bool ChangesFiles(Transcript transcript, ConsoleEvent consoleEvent) => consoleEvent.Event switch
    {
        TurnEnd => true,
        ToolResult result => transcript.Find(consoleEvent.TurnId)?.FindCall(result.ToolUseId) is { } call && FileTools.Contains(call.Name),
        _ => false,
    };

    /// <summary>
    /// Reads a turn's events from konsole's log, from what <paramref name="transcript"/> has up to
    /// <paramref name="untilSeq"/> (or its end). Nothing is applied if another session was opened meanwhile.
    /// </summary>
    private async Task FillAsync(Transcript transcript, string turnId, long? untilSeq)
    {
        var after = transcript.Find(turnId)?.LastSeq ?? 0;
        var machine = Machine;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<TurnEvent>();
        try
        {
            await foreach (var turnEvent in machine.Client.ReadEventsAsync(turnId, after, cancel.Token))
            {
                events.Add(turnEvent);
                if (turnEvent.Seq >= untilSeq) break;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException or OperationCanceledException)
        {
            logger.LogWarning("Reading turn {Turn} from konsole failed: {Reason}", turnId, ex.Message);
        }
        if (!ReferenceEquals(transcript, Transcript)) return;
        foreach (var turnEvent in events) transcript.Apply(turnId, turnEvent);
    }

    private Task OnKontaskAsync(KontaskEvent kontaskEvent)
    {
        var kontask = kontaskEvent switch
        {
            KontaskReady ready => ready.Kontask,
            KontaskUpdated updated => updated.Kontask,
            _ => null,
        };
        return kontask is not null && Transcript.AddKontask(kontask) ? NotifyAsync(ConsoleChange.Transcript) : Task.CompletedTask;
    }

    private void OnTurnFollowed(string sessionId, string turnId) => _ = OnRendererAsync(async () =>
    {
        if (!FollowsLiveTurns || sessionId == SessionId) return;
        logger.LogDebug("Turn {Turn} started in session {Session}: the live console follows it", turnId, sessionId);
        await OpenAsync(sessionId, followLiveTurns: true);
    });

    private void OnWatchStatus() => _ = OnRendererAsync(async () =>
    {
        await NotifyAsync(ConsoleChange.Status);
        await CatchUpEndedTurnsAsync();
    });

    /// <summary>
    /// A turn shown as running that konsole no longer runs has ended without this tab hearing the end (it fell out
    /// of the bus while the tab was behind): read the rest from konsole's log, so no turn looks busy forever.
    /// </summary>
    private async Task CatchUpEndedTurnsAsync()
    {
        if (Machine.Watch.Status is not { } status || Machine.IsOffline || IsLoading) return;
        var stale = Transcript.Turns.Where(t => t.IsRunning && status.ActiveTurns.All(a => a.TurnId != t.TurnId)
            && time.GetUtcNow() - t.StartedAt > StaleAfter && _catchingUp.Add(t.TurnId)).ToList();
        foreach (var turn in stale)
        {
            try
            {
                await FillAsync(Transcript, turn.TurnId, untilSeq: null);
            }
            finally
            {
                _catchingUp.Remove(turn.TurnId);
            }
        }
        if (stale.Count > 0) await NotifyAsync(ConsoleChange.All);
    }

    /// <summary>Tells every subscriber, one after the other; a subscriber's failure is its own (it dispatches it to its circuit).</summary>
    private async Task NotifyAsync(ConsoleChange change)
    {
        foreach (var onChange in _subscribers)
        {
            try
            {
                await onChange(change);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A view of the console failed to show a change.");
            }
        }
    }

    /// <summary>Runs work that comes from elsewhere (the bus, konsole's status) on the circuit's renderer, in order.</summary>
    private Task OnRendererAsync(Func<Task> work)
    {
        var renderer = _renderer;
        if (renderer is null || SynchronizationContext.Current == renderer) return work();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        renderer.Post(async _ =>
        {
            try
            {
                await work();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }, null);
        return done.Task;
    }

    public void Dispose()
    {
        if (_watching)
        {
            konsoles.StatusChanged -= OnWatchStatus;
            konsoles.MachinesChanged -= OnWatchStatus;
            konsoles.TurnFollowed -= OnTurnFollowed;
        }
        _sessionEvents?.Dispose();
        _kontaskEvents?.Dispose();
        _sessionState?.Dispose();
    }
}
