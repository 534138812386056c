using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Konui.Core.Events;

/// <summary>
/// One subscriber's bounded queue and the loop that feeds its handler. Publishing never waits: when the queue is
/// full the subscriber is marked behind, its queued events are dropped, and it receives one re-sync event instead,
/// so it rebuilds from the source of truth rather than silently missing something.
/// </summary>
internal sealed class Subscriber<T> : IDisposable
{
    private readonly Channel<T> _queue;
    private readonly Func<T, Task> _handler;
    private readonly T _resync;
    private readonly Action<Subscriber<T>> _remove;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private int _behind;

    public Subscriber(int capacity, Func<T, Task> handler, T resync, Action<Subscriber<T>> remove, ILogger logger)
    {
        _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _handler = handler;
        _resync = resync;
        _remove = remove;
        _logger = logger;
        _ = Task.Run(PumpAsync);
    }

    public void Offer(T item)
    {
        if (!_queue.Writer.TryWrite(item)) Interlocked.Exchange(ref _behind, 1);
    }

    private async Task PumpAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token))
            {
                if (Interlocked.Exchange(ref _behind, 0) == 1)
                {
                    while (_queue.Reader.TryRead(out _)) { }
                    await DeliverAsync(_resync);
                    continue;
                }
                if (_queue.Reader.TryRead(out var item)) await DeliverAsync(item);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(T item)
    {
        try
        {
            await _handler(item);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "A {Event} subscriber failed to handle {Item}", typeof(T).Name, item);
        }
    }

    public void Dispose()
    {
        _remove(this);
        _stop.Cancel();
        _queue.Writer.TryComplete();
    }
}
