using Konui.Blazor.Konsole;
using Konui.Core.Events;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>
/// The console as one browser tab sees it (one per circuit): which console session is open, its transcript, the
/// turn state, the connection, and the commands (send a prompt, stop). It rebuilds from the bus and konsole's logs,
/// so a reload, a second tab or a phone shows the same conversation; every change runs on the circuit's dispatcher.
/// </summary>
public sealed class ConsoleSession(KonsoleClient konsole, EventBus bus, KontaskStore store, KonsoleWatch watch, TimeProvider time,
    ILogger<ConsoleSession> logger) : IDisposable
{
    /// <summary>How many of a session's latest turns are shown when it is opened.</summary>
    public const int TurnsShown = 30;

    private Func<Func<Task>, Task> _dispatch = work => work();
    private IDisposable? _sessionEvents;
    private IDisposable? _kontaskEvents;
    private string? _stoppingTurnId;
    private int _opening;
    private readonly HashSet<string> _catchingUp = [];

    /// <summary>How long a new turn may be missing from konsole's status (it polls once a second) before it counts as ended.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(3);
    private bool _watching;

    public string? SessionId { get; private set; }

    public Transcript Transcript { get; private set; } = new();

    /// <summary>The last command that failed, in words; cleared by the next one.</summary>
    public string? Error { get; private set; }

    public bool IsLoading { get; private set; }

    /// <summary>The transcript changed.</summary>
    public event Action? TranscriptChanged;

    /// <summary>Something the status bar shows changed: turn state, elapsed time, konsole health.</summary>
    public event Action? StatusChanged;

    public TranscriptTurn? LastTurn => Transcript.Turns.Count > 0 ? Transcript.Turns[^1] : null;

    public TranscriptTurn? LastEndedTurn => Transcript.Turns.LastOrDefault(t => !t.IsRunning);

    public ConsoleTurnState TurnState => LastTurn is { IsRunning: true } turn
        ? turn.TurnId == _stoppingTurnId ? ConsoleTurnState.Stopping : ConsoleTurnState.Running
        : ConsoleTurnState.Idle;

    public TimeSpan? Elapsed => LastTurn is { IsRunning: true } turn ? time.GetUtcNow() - turn.StartedAt : null;

    public KonsoleStatus? KonsoleStatus => watch.Status;

    public string? KonsoleProblem => watch.Problem;

    /// <summary>Called by components with their InvokeAsync: every change then runs on the circuit's dispatcher.</summary>
    public void UseDispatcher(Func<Func<Task>, Task> dispatch)
    {
        _dispatch = dispatch;
        if (_watching) return;
        _watching = true;
        watch.StatusChanged += OnWatchStatus;
        _kontaskEvents = bus.SubscribeKontasks(e => _dispatch(() => OnKontaskAsync(e)));
    }

    /// <summary>Opens a console session (null: none yet, the next prompt starts one), rebuilding its transcript.</summary>
    public async Task OpenAsync(string? sessionId)
    {
        if (sessionId == SessionId && (sessionId is null || _sessionEvents is not null)) return;
        if (sessionId is not null && !Guid.TryParse(sessionId, out _))
        {
            Error = $"'{sessionId}' is not a session id.";
            Changed();
            return;
        }
        var opening = Interlocked.Increment(ref _opening);
        _sessionEvents?.Dispose();
        _sessionEvents = null;
        SessionId = sessionId;
        Transcript = new Transcript();
        _stoppingTurnId = null;
        Error = null;
        Changed();
        if (sessionId is null) return;

        IsLoading = true;
        _sessionEvents = bus.SubscribeSession(sessionId, 0, e => _dispatch(() => ApplyAsync(e)));
        try
        {
            var turns = await konsole.GetSessionTurnsAsync(sessionId);
            var transcript = Transcript;
            foreach (var turn in turns.TakeLast(TurnsShown))
            {
                if (opening != _opening) return;
                if (turn.State != Konui.Core.Konsole.TurnState.Ended) watch.Follow(turn.TurnId, sessionId);
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
        Changed();
    }

    /// <summary>
    /// Sends a prompt as the next turn of the open session (or of a new one), or of <paramref name="sessionId"/> when
    /// given, or of a brand-new session when <paramref name="newSession"/>. Returns null when refused.
    /// </summary>
    public async Task<TurnAccepted?> SendPromptAsync(string text, IReadOnlyList<TurnImage>? images = null, string? sessionId = null, bool newSession = false)
    {
        Error = null;
        TurnAccepted accepted;
        try
        {
            accepted = await konsole.StartTurnAsync(new TurnRequest(text, newSession ? null : sessionId ?? SessionId, images is { Count: > 0 } ? images : null));
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
        {
            Error = ex.Message;
            Changed();
            return null;
        }
        if (SessionId is null && sessionId is null && !newSession)
        {
            SessionId = accepted.SessionId;
            _sessionEvents = bus.SubscribeSession(accepted.SessionId, 0, e => _dispatch(() => ApplyAsync(e)));
        }
        watch.Follow(accepted.TurnId, accepted.SessionId);
        Changed();
        return accepted;
    }

    public async Task StopAsync()
    {
        if (LastTurn is not { IsRunning: true } turn) return;
        _stoppingTurnId = turn.TurnId;
        Changed();
        try
        {
            await konsole.StopTurnAsync(turn.TurnId);
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
        {
            Error = $"Could not stop the turn: {ex.Message}";
            _stoppingTurnId = null;
            Changed();
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
        TranscriptChanged?.Invoke();
        if (consoleEvent.Event is TurnStart or TurnInit or TurnResult or TurnEnd) StatusChanged?.Invoke();
    }

    /// <summary>
    /// Reads a turn's events from konsole's log, from what <paramref name="transcript"/> has up to
    /// <paramref name="untilSeq"/> (or its end). Nothing is applied if another session was opened meanwhile.
    /// </summary>
    private async Task FillAsync(Transcript transcript, string turnId, long? untilSeq)
    {
        var after = transcript.Find(turnId)?.LastSeq ?? 0;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<TurnEvent>();
        try
        {
            await foreach (var turnEvent in konsole.ReadEventsAsync(turnId, after, cancel.Token))
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
        if (kontask is not null && Transcript.AddKontask(kontask)) TranscriptChanged?.Invoke();
        return Task.CompletedTask;
    }

    private void OnWatchStatus() => _ = _dispatch(async () =>
    {
        StatusChanged?.Invoke();
        await CatchUpEndedTurnsAsync();
    });

    /// <summary>
    /// A turn shown as running that konsole no longer runs has ended without this tab hearing the end (it fell out
    /// of the bus while the tab was behind): read the rest from konsole's log, so no turn looks busy forever.
    /// </summary>
    private async Task CatchUpEndedTurnsAsync()
    {
        if (watch.Status is not { } status || IsLoading) return;
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
        if (stale.Count > 0)
        {
            TranscriptChanged?.Invoke();
            StatusChanged?.Invoke();
        }
    }

    private void Changed()
    {
        TranscriptChanged?.Invoke();
        StatusChanged?.Invoke();
    }

    public void Dispose()
    {
        if (_watching) watch.StatusChanged -= OnWatchStatus;
        _sessionEvents?.Dispose();
        _kontaskEvents?.Dispose();
    }
}
