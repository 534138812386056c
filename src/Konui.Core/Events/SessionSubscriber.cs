using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Konui.Core.Events;

/// <summary>
/// A subscriber to one session: its history first, then live events, each once and in order. Its queue is bounded:
/// when it falls behind, the queue is dropped and it is re-read from the session's history after the last event it
/// got, so it never silently misses one the bus still has.
/// </summary>
internal sealed class SessionSubscriber : IDisposable
{
    private readonly SessionStream _stream;
    private readonly Func<ConsoleEvent, Task> _handler;
    private readonly Channel<ConsoleEvent> _queue;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private long _delivered;
    private int _behind;

    public SessionSubscriber(SessionStream stream, Func<ConsoleEvent, Task> handler, int capacity, long afterSeq, ILogger logger)
    {
        _stream = stream;
        _handler = handler;
        _delivered = afterSeq;
        _logger = logger;
        _queue = Channel.CreateBounded<ConsoleEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public void Start(List<ConsoleEvent> history) => _ = Task.Run(() => PumpAsync(history));

    public void Offer(ConsoleEvent consoleEvent)
    {
        if (!_queue.Writer.TryWrite(consoleEvent)) Interlocked.Exchange(ref _behind, 1);
    }

    private async Task PumpAsync(List<ConsoleEvent> history)
    {
        try
        {
            await DeliverAllAsync(history);
            while (await _queue.Reader.WaitToReadAsync(_stop.Token))
            {
                if (Interlocked.Exchange(ref _behind, 0) == 1)
                {
                    while (_queue.Reader.TryRead(out _)) { }
                    await DeliverAllAsync(_stream.HistoryAfter(_delivered));
                    continue;
                }
                if (_queue.Reader.TryRead(out var next)) await DeliverAsync(next);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAllAsync(List<ConsoleEvent> events)
    {
        foreach (var consoleEvent in events) await DeliverAsync(consoleEvent);
    }

    private async Task DeliverAsync(ConsoleEvent consoleEvent)
    {
        if (consoleEvent.Seq <= _delivered || _stop.IsCancellationRequested) return;
        _delivered = consoleEvent.Seq;
        try
        {
            await _handler(consoleEvent);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "A subscriber of session {Session} failed to handle event {Seq}", consoleEvent.SessionId, consoleEvent.Seq);
        }
    }

    public void Dispose()
    {
        _stream.Remove(this);
        _stop.Cancel();
        _queue.Writer.TryComplete();
    }
}
