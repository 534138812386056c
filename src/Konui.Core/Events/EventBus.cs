using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Konui.Core.Events;

/// <summary>
/// The singleton that carries what happens (kontasks landing, turns streaming) to every open view. Each
/// subscriber has its own bounded queue: a slow one never blocks the publishers or the other subscribers.
/// </summary>
public sealed class EventBus(ILogger<EventBus>? logger = null)
{
    /// <summary>Events a subscriber may fall behind by before it is re-synced.</summary>
    public const int SubscriberCapacity = 1024;

    /// <summary>Turns per session kept whole in memory, and the events one may have before it is let go.</summary>
    public const int TurnsKeptPerSession = 16;
    public const int EventsKeptPerTurn = 50_000;

    private readonly ILogger _logger = logger ?? NullLogger<EventBus>.Instance;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SessionStream> _sessions = new(StringComparer.Ordinal);
    private Subscriber<KontaskEvent>[] _kontaskSubscribers = [];
    private Subscriber<Broadcast>[] _broadcastSubscribers = [];
    private Subscriber<ConsoleEvent>[] _turnSubscribers = [];

    /// <summary>What a subscriber to every session's events gets when it fell behind and lost some: sequence 0, no turn.</summary>
    public static readonly ConsoleEvent Resync = new("", 0, "", new Turns.RawEvent(null, "resync"));

    public void Publish(KontaskEvent kontaskEvent)
    {
        foreach (var subscriber in Volatile.Read(ref _kontaskSubscribers)) subscriber.Offer(kontaskEvent);
    }

    /// <summary>
    /// Calls <paramref name="handler"/> for every kontask event from now on, one at a time and in order.
    /// Dispose the result to stop.
    /// </summary>
    public IDisposable SubscribeKontasks(Func<KontaskEvent, Task> handler, int capacity = SubscriberCapacity)
    {
        var subscriber = new Subscriber<KontaskEvent>(capacity, handler, new KontasksReloaded(), Remove, _logger);
        lock (_gate) _kontaskSubscribers = [.. _kontaskSubscribers, subscriber];
        return subscriber;
    }

    private void Remove(Subscriber<KontaskEvent> subscriber)
    {
        lock (_gate) _kontaskSubscribers = _kontaskSubscribers.Where(s => s != subscriber).ToArray();
    }

    /// <summary>
    /// Numbers a turn event in its session's order and delivers it to the session's subscribers. An event of a turn
    /// that the bus has already seen (a reader replaying) is dropped: returns null.
    /// </summary>
    public ConsoleEvent? PublishTurnEvent(string sessionId, string turnId, Turns.TurnEvent turnEvent) =>
        Session(sessionId).Publish(turnId, turnEvent);

    /// <summary>
    /// The session's events after <paramref name="afterSeq"/> that the bus still keeps, then every new one: each once,
    /// in order, one at a time. Dispose the result to stop.
    /// </summary>
    public IDisposable SubscribeSession(string sessionId, long afterSeq, Func<ConsoleEvent, Task> handler, int capacity = SubscriberCapacity) =>
        Session(sessionId).Subscribe(afterSeq, handler, capacity);

    /// <summary>
    /// Calls <paramref name="handler"/> for every turn event of every session from now on, one at a time, each
    /// session's in order; nothing from before. A handler that falls more than <paramref name="capacity"/> events
    /// behind gets <see cref="Resync"/> instead of what it missed. It is no session's subscriber, so the bus still lets
    /// go of ended turns nobody looks at. Dispose the result to stop.
    /// </summary>
    public IDisposable SubscribeTurns(Func<ConsoleEvent, Task> handler, int capacity = SubscriberCapacity)
    {
        var subscriber = new Subscriber<ConsoleEvent>(capacity, handler, Resync,
            s => { lock (_gate) _turnSubscribers = _turnSubscribers.Where(x => x != s).ToArray(); }, _logger);
        lock (_gate) _turnSubscribers = [.. _turnSubscribers, subscriber];
        return subscriber;
    }

    private void OfferToAll(ConsoleEvent consoleEvent)
    {
        foreach (var subscriber in Volatile.Read(ref _turnSubscribers)) subscriber.Offer(consoleEvent);
    }

    public void Publish(Broadcast broadcast)
    {
        foreach (var subscriber in Volatile.Read(ref _broadcastSubscribers)) subscriber.Offer(broadcast);
    }

    public IDisposable SubscribeBroadcasts(Func<Broadcast, Task> handler)
    {
        Subscriber<Broadcast>? subscriber = null;
        subscriber = new Subscriber<Broadcast>(SubscriberCapacity, handler, new Broadcast("", "", BroadcastLevel.Info, default),
            s => { lock (_gate) _broadcastSubscribers = _broadcastSubscribers.Where(x => x != s).ToArray(); }, _logger);
        lock (_gate) _broadcastSubscribers = [.. _broadcastSubscribers, subscriber];
        return subscriber;
    }

    private SessionStream Session(string sessionId)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sessionId, out var stream))
            {
                stream = new SessionStream(sessionId, TurnsKeptPerSession, EventsKeptPerTurn, OfferToAll, _logger);
                _sessions[sessionId] = stream;
            }
            return stream;
        }
    }
}
