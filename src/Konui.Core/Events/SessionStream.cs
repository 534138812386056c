using Microsoft.Extensions.Logging;

namespace Konui.Core.Events;

/// <summary>
/// One console session's events on the bus: numbered in arrival order, with the recent turns kept whole in memory so
/// a new subscriber (a reload, a second tab) gets them before the live ones. A turn that grows past the limit, turns
/// beyond the newest few, and ended turns while no tab has the session open are let go; readers fetch those from
/// konsole's logs. So a Konui left running for weeks holds events only for the sessions someone looks at.
/// </summary>
internal sealed class SessionStream(string sessionId, int maxTurns, int maxEventsPerTurn, Action<ConsoleEvent> offerToAll, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly List<(string TurnId, List<ConsoleEvent>? Events, long LastTurnSeq, bool Ended)> _turns = [];
    private SessionSubscriber[] _subscribers = [];
    private long _seq;

    public ConsoleEvent? Publish(string turnId, Turns.TurnEvent turnEvent)
    {
        ConsoleEvent consoleEvent;
        lock (_gate)
        {
            var at = _turns.FindIndex(t => t.TurnId == turnId);
            if (at < 0)
            {
                _turns.Add((turnId, turnEvent.Seq == 1 ? [] : null, 0, false));
                at = _turns.Count - 1;
                if (_turns.Count > maxTurns)
                {
                    _turns.RemoveAt(0);
                    at--;
                }
            }
            var (id, events, lastTurnSeq, _) = _turns[at];
            if (turnEvent.Seq <= lastTurnSeq) return null;
            consoleEvent = new ConsoleEvent(sessionId, ++_seq, turnId, turnEvent);
            if (events is not null && (turnEvent.Seq != lastTurnSeq + 1 || events.Count >= maxEventsPerTurn))
            {
                logger.LogInformation("Turn {Turn} of session {Session} is no longer kept whole in memory", turnId, sessionId);
                events = null;
            }
            events?.Add(consoleEvent);
            var ended = turnEvent.IsTerminal;
            if (ended && _subscribers.Length == 0) events = null;
            _turns[at] = (id, events, turnEvent.Seq, ended);
            // Offered under the lock, so every queue gets the events in seq order even when turns publish at once
            // (a subscriber skips what is not newer than its last event). Offering never waits.
            foreach (var subscriber in _subscribers) subscriber.Offer(consoleEvent);
            offerToAll(consoleEvent);
        }
        return consoleEvent;
    }

    public SessionSubscriber Subscribe(long afterSeq, Func<ConsoleEvent, Task> handler, int capacity)
    {
        lock (_gate)
        {
            var subscriber = new SessionSubscriber(this, handler, capacity, afterSeq, logger);
            subscriber.Start(HistoryAfter(afterSeq));
            _subscribers = [.. _subscribers, subscriber];
            return subscriber;
        }
    }

    public void Remove(SessionSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != subscriber).ToArray();
            if (_subscribers.Length > 0) return;
            for (var i = 0; i < _turns.Count; i++)
            {
                if (_turns[i].Ended) _turns[i] = _turns[i] with { Events = null };
            }
        }
    }

    /// <summary>What is kept after <paramref name="afterSeq"/>, in order.</summary>
    public List<ConsoleEvent> HistoryAfter(long afterSeq)
    {
        lock (_gate)
        {
            return _turns.Where(t => t.Events is not null).SelectMany(t => t.Events!).Where(e => e.Seq > afterSeq).OrderBy(e => e.Seq).ToList();
        }
    }
}
