using System.Collections.Concurrent;
using Konui.Core.Events;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>
/// Konui's eyes on one konsole (one machine of <see cref="Konsoles"/>): it asks for konsole's status every second
/// (its health, for the status bar, and the turns running there, whoever started them), and for the turns started
/// since, and keeps one reader on each of those turns' event streams. A reader publishes every event on the bus,
/// reconnects with Last-Event-ID and backoff when the stream drops, and stops only when the turn has ended; while the
/// konsole does not answer at all (its machine is unreachable) a reader waits for it however long that takes, and
/// when a konsole that answers cannot resume the stream, it ends the turn on the bus with the reason.
/// </summary>
public sealed class KonsoleWatch(KonsoleClient konsole, EventBus bus, TimeProvider time, ILogger logger) : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long konsole may take to give its status before it counts as unreachable.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    private const int MaxReconnects = 40;

    /// <summary>How long a reader waits between tries while konsole is unreachable.</summary>
    private static readonly TimeSpan OfflineRetry = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Task> _readers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly KonsoleClient _konsole = konsole;
    private Task? _polling;

    /// <summary>The last status konsole gave, or null while it has not answered.</summary>
    public KonsoleStatus? Status { get; private set; }

    /// <summary>Why the last status request failed; null while konsole answers.</summary>
    public string? Problem { get; private set; }

    /// <summary>Since when konsole has not answered; null while it answers.</summary>
    public DateTimeOffset? OfflineSince { get; private set; }

    public event Action? StatusChanged;

    /// <summary>Starts asking konsole for its status (once; again after <see cref="StopAsync"/> does nothing).</summary>
    public void Start()
    {
        _polling ??= Task.Run(() => PollAsync(_stop.Token));
    }

    /// <summary>Stops the status polls and every reader.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_polling is not null) await _polling;
    }

    /// <summary>Stops, without waiting (<see cref="StopAsync"/> waits).</summary>
    public void Dispose()
    {
        // Cancelled, not disposed: a reader between two checks may still read its token.
        _stop.Cancel();
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        // Turns that started before Konui did are history (the pages read them from konsole's logs), not news.
        var startedSince = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var answerWithin = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                answerWithin.CancelAfter(AnswerWithin);
                var polledAt = time.GetUtcNow();
                var status = await _konsole.GetStatusAsync(answerWithin.Token);
                // A turn that started and ended between two polls (a short one from the API, a queued prompt) was
                // never active in a status: it is read too, so every reader of the bus hears of it.
                var started = await _konsole.GetTurnsAsync(startedSince - PollInterval, polledAt.AddHours(1), answerWithin.Token);
                Status = status;
                Problem = null;
                OfflineSince = null;
                foreach (var turn in status.ActiveTurns) Follow(turn.TurnId, turn.SessionId);
                foreach (var turn in started) Follow(turn.TurnId, turn.SessionId);
                startedSince = polledAt;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                OfflineSince ??= time.GetUtcNow();
                Problem = ex switch
                {
                    System.Text.Json.JsonException => $"Konsole answered something that is not its status: {ex.Message}",
                    OperationCanceledException => $"Konsole does not answer: no status within {AnswerWithin.TotalSeconds:0} s",
                    _ => $"Konsole does not answer: {ex.Message}",
                };
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
        catch (Exception ex) when (!_stop.Token.IsCancellationRequested)
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
        while (!_stop.Token.IsCancellationRequested)
        {
            try
            {
                await foreach (var turnEvent in _konsole.ReadEventsAsync(turnId, lastSeq, _stop.Token))
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
            catch (OperationCanceledException) when (_stop.Token.IsCancellationRequested)
            {
                return;
            }
            if (Problem is not null)
            {
                // The machine is unreachable: the turn is not lost, it waits there (or its end does) until konsole answers again.
                failures = 0;
                try
                {
                    await Task.Delay(OfflineRetry, time, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
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
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6)))), time, _stop.Token);
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
            return (await _konsole.GetTurnAsync(turnId, _stop.Token)).State != TurnState.Ended;
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
