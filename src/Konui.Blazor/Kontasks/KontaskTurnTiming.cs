using Konui.Blazor.Console;
using Konui.Core.Events;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Turns;

namespace Konui.Blazor.Kontasks;

/// <summary>
/// Claude makes a turn's kontasks before the turn is over: once it is, each of them gets the turn's timing (an update
/// line, as any writer would append), unless it has timing already. It hears of turns ending from
/// the readers of every machine (<see cref="Konsoles"/>), and of kontasks landing from the bus; a kontask that lands without its turn's
/// timing has its turn looked up in every machine's konsole, because a turn started elsewhere can end between two status polls and a
/// kontask can be indexed after its turn's end was read.
/// </summary>
public sealed class KontaskTurnTiming(EventBus bus, KontaskStore store, Konsoles konsoles, TimeProvider time,
    ILogger<KontaskTurnTiming> logger) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private IDisposable? _kontasks;

    /// <summary>Listens from the moment Konui starts: a kontask that lands later is heard of.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        konsoles.TurnEnded += OnTurnEnded;
        _kontasks = bus.SubscribeKontasks(TimeWhenTurnEndsAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        konsoles.TurnEnded -= OnTurnEnded;
        _kontasks?.Dispose();
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // Cancelled, not disposed: a lookup that is under way may still read its token.
        _stopping.Cancel();
        konsoles.TurnEnded -= OnTurnEnded;
        _kontasks?.Dispose();
    }

    private void OnTurnEnded(string requestId, TurnEnd end)
    {
        if (end.Timing is not { } timing) return;
        try
        {
            TimeKontasks(requestId, timing);
        }
        catch (IOException ex)
        {
            logger.LogWarning("Could not write the timing of request {Request}'s kontasks: {Problem}", requestId, ex.Message);
        }
    }

    /// <summary>Gives each of the request's kontasks that has none the turn's timing.</summary>
    private void TimeKontasks(string requestId, TurnTiming timing)
    {
        // A turn's reader and a kontask landing may both get here: one at a time, so the second finds the timing set.
        lock (_gate)
        {
            foreach (var summary in store.Query(new KontaskQuery(RequestId: requestId, Take: 100)).Items.Where(k => k.Timing is null))
            {
                if (store.Get(summary.Id) is not { } kontask) continue;
                (kontask.Context ??= new KontaskContext()).TurnTiming = timing;
                kontask.UpdatedAt = time.GetUtcNow();
                store.Append(kontask);
            }
        }
    }

    /// <summary>A kontask landed without its turn's timing: follow the turn while it runs (its end times the kontask), or time the kontask now if it has ended.</summary>
    private async Task TimeWhenTurnEndsAsync(KontaskEvent kontaskEvent)
    {
        if (kontaskEvent is not KontaskReady { Kontask: { RequestId: { } requestId, Timing: null } kontask }) return;
        using var answerWithin = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        answerWithin.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            foreach (var (machine, turn) in await konsoles.FindTurnsAsync(requestId, answerWithin.Token))
            {
                if (turn.State != TurnState.Ended) machine.Watch.Follow(turn.TurnId, turn.SessionId);
                else if (turn.Timing is { } timing) TimeKontasks(requestId, timing);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException or System.Text.Json.JsonException or OperationCanceledException or IOException)
        {
            logger.LogWarning("Could not find the turn of kontask {Kontask} (request {Request}) for its timing: {Problem}", kontask.Id, requestId, ex.Message);
        }
    }
}
