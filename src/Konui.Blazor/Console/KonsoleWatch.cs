using System.Collections.Concurrent;
using Konui.Core.Events;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>
/// Konui's eyes on konsole: it asks for konsole's status every second (its health, for the status bar, and the
/// turns running there, whoever started them), and for the turns started since, and keeps one reader on each of
/// those turns' event streams. A reader
/// publishes every event on the bus, reconnects with Last-Event-ID and backoff when the stream drops, and stops only
/// when the turn has ended; when the stream cannot be resumed, it ends the turn on the bus with the reason.
/// </summary>
public sealed class KonsoleWatch(IHttpClientFactory httpClients, EventBus bus, TimeProvider time, ILogger<KonsoleWatch> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private const int MaxReconnects = 40;

    private readonly ConcurrentDictionary<string, Task> _readers = new(StringComparer.Ordinal);
    private readonly KonsoleClient _konsole = new(httpClients.CreateClient(nameof(KonsoleClient)));
    private CancellationToken _stopping;

    /// <summary>The last status konsole gave, or null while it has not answered.</summary>
    public KonsoleStatus? Status { get; private set; }

    /// <summary>Why the last status request failed; null while konsole answers.</summary>
    public string? Problem { get; private set; }

    public event Action? StatusChanged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        // Turns that started before Konui did are history (the pages read them from konsole's logs), not news.
        var startedSince = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var answerWithin = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                answerWithin.CancelAfter(TimeSpan.FromSeconds(10));
                var polledAt = time.GetUtcNow();
                var status = await _konsole.GetStatusAsync(answerWithin.Token);
                Status = status;
                Problem = null;
                foreach (var turn in status.ActiveTurns) Follow(turn.TurnId, turn.SessionId);
                // A turn that started and ended between two polls (a short one from the API, a queued prompt) was
                // never active in a status: it is read too, so every reader of the bus hears of it.
                foreach (var turn in await _konsole.GetTurnsAsync(startedSince - PollInterval, polledAt.AddHours(1), answerWithin.Token)) Follow(turn.TurnId, turn.SessionId);
                startedSince = polledAt;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Problem = ex is System.Text.Json.JsonException ? $"Konsole answered something that is not its status: {ex.Message}" : $"Konsole does not answer: {ex.Message}";
            }
            StatusChanged?.Invoke();
            try
            {
                await Task.Delay(PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A reader started following a turn konsole runs (started from this Konui or anywhere else): its session and id.</summary>
    public event Action<string, string>? TurnFollowed;

    /// <summary>A reader read a turn's end: the turn's requestId and its end (with the turn's timing, when konsole measured it).</summary>
    public event Action<string, TurnEnd>? TurnEnded;

    /// <summary>Makes sure a reader follows the turn (at once, without waiting for the next status poll).</summary>
    public void Follow(string turnId, string sessionId)
    {
        if (_readers.ContainsKey(turnId)) return;
        var reader = new Task<Task>(() => ReadUntilEndAsync(turnId, sessionId));
        if (!_readers.TryAdd(turnId, reader.Unwrap())) return;
        reader.Start(TaskScheduler.Default);
        TurnFollowed?.Invoke(sessionId, turnId);
    }

    private async Task ReadUntilEndAsync(string turnId, string sessionId)
    {
        try
        {
            await ReadAsync(turnId, sessionId);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            logger.LogError(ex, "Following turn {Turn} failed; the next status poll follows it again", turnId);
            _readers.TryRemove(turnId, out Task? _);
            return;
        }
        await Task.Delay(TimeSpan.FromMinutes(1), time, CancellationToken.None);
        _readers.TryRemove(turnId, out Task? _);
    }

    private async Task ReadAsync(string turnId, string sessionId)
    {
        long lastSeq = 0;
        var failures = 0;
        string? requestId = null;
        string? problem = null;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var turnEvent in _konsole.ReadEventsAsync(turnId, lastSeq, _stopping))
                {
                    bus.PublishTurnEvent(sessionId, turnId, turnEvent);
                    lastSeq = turnEvent.Seq;
                    failures = 0;
                    if (turnEvent is TurnStart start) requestId = start.RequestId;
                    if (turnEvent is TurnEnd end && requestId is not null) TurnEnded?.Invoke(requestId, end);
                    if (turnEvent.IsTerminal) return;
                }
                problem = "the stream ended before the turn did";
            }
            catch (KonsoleException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
            {
                Lose(sessionId, turnId, lastSeq, "konsole no longer knows this turn");
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or KonsoleException or IOException)
            {
                problem = ex.Message;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            if (++failures > MaxReconnects)
            {
                if (await StillRunningAsync(turnId))
                {
                    failures = 0;
                    continue;
                }
                Lose(sessionId, turnId, lastSeq, $"konsole's stream could not be resumed: {problem}");
                return;
            }
            logger.LogInformation("Turn {Turn}'s stream dropped after event {Seq} ({Problem}); reconnecting", turnId, lastSeq, problem);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6)))), time, _stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Whether konsole says the turn still runs: then its stream is worth more tries, not a "lost".</summary>
    private async Task<bool> StillRunningAsync(string turnId)
    {
        try
        {
            return (await _konsole.GetTurnAsync(turnId, _stopping)).State != TurnState.Ended;
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private void Lose(string sessionId, string turnId, long lastSeq, string reason)
    {
        logger.LogWarning("Turn {Turn} is lost: {Reason}", turnId, reason);
        bus.PublishTurnEvent(sessionId, turnId, new TurnEnd(false, $"lost: {reason}", null) { Seq = lastSeq + 1, At = time.GetUtcNow() });
    }
}
