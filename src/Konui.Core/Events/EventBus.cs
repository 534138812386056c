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

    private readonly ILogger _logger = logger ?? NullLogger<EventBus>.Instance;
    private readonly Lock _gate = new();
    private Subscriber<KontaskEvent>[] _kontaskSubscribers = [];

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
}
