using System.Collections.Concurrent;
using Konui.Blazor.Console;
using Konui.Core;
using Konui.Core.Events;
using Konui.Core.Turns;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// Turn events between replicas. Every event this replica reads from its konsole goes into its session's Redis Stream
/// (ordered, replayable, trimmed to <see cref="RedisKeys.SessionEventsKept"/> and expiring
/// <see cref="RedisKeys.SessionEventsExpiry"/> after the session's last event); every replica reads the streams of the
/// sessions others write to, each from where it last read (in memory: after a restart a session is read from its
/// start), and publishes their events on its own bus, which drops what it has already seen by the turn's Seq. So a
/// turn run by another replica's konsole streams live on this replica's Dashboard.
/// </summary>
public sealed class TurnEventRelay(RedisLink redis, RedisOutbox outbox, EventBus bus, Konsoles konsoles, TimeProvider time, ILogger<TurnEventRelay> logger)
    : BackgroundService
{
    private const int ReadBatch = 500;

    /// <summary>The turns whose events came from other replicas: never sent back.</summary>
    private readonly ConcurrentDictionary<string, byte> _otherReplicasTurns = new(StringComparer.Ordinal);

    /// <summary>
    /// The turns this replica sends: what another replica adds for them (one that reads this replica's konsole directly
    /// as a machine of its own, and sends what it read) is not taken back in.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _sentTurns = new(StringComparer.Ordinal);

    /// <summary>Where this replica has read each session's stream to.</summary>
    private readonly ConcurrentDictionary<string, string> _offsets = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, byte> _due = new(StringComparer.Ordinal);
    private readonly Wakeup _wake = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var sent = bus.SubscribeTurns(OnTurnEventAsync, capacity: 100_000);
        // Without the wake-ups (Redis away at start) the active sessions are read each poll: the subscription is made when it can be.
        var subscribing = redis.SubscribeAsync(RedisKeys.TurnEventsAdded, message =>
        {
            var text = message.ToString();
            var separator = text.IndexOf(' ', StringComparison.Ordinal);
            if (separator <= 0 || text[..separator] == redis.ReplicaId) return;
            _due[text[(separator + 1)..]] = 0;
            _wake.Wake();
        }, stoppingToken);
        var checkedUntil = time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (time.GetUtcNow() - checkedUntil >= KontaskFeed.PollInterval) checkedUntil = await FindActiveSessionsAsync(checkedUntil, stoppingToken);
                // The sessions due are read at once (their reads pipelined on the one connection), each in its order.
                var due = _due.Keys.ToArray();
                foreach (var sessionId in due) _due.TryRemove(sessionId, out _);
                var read = await Task.WhenAll(due.Select(sessionId => ReadSessionAsync(sessionId, stoppingToken)));
                for (var i = 0; i < due.Length; i++)
                {
                    if (!read[i]) _due[due[i]] = 0;
                }
                await _wake.WaitAsync(KontaskFeed.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await subscribing;
    }

    private Task OnTurnEventAsync(ConsoleEvent consoleEvent)
    {
        if (ReferenceEquals(consoleEvent, EventBus.Resync))
        {
            logger.LogWarning("Turn events fell too far behind on their way to Redis; some are missing there");
            return Task.CompletedTask;
        }
        if (_otherReplicasTurns.ContainsKey(consoleEvent.TurnId)) return Task.CompletedTask;
        // Another machine's events are its own replica's to send (a configured konsole's: every replica reads it).
        if (konsoles.MachineOf(consoleEvent.SessionId) is { } machine && machine != konsoles.Local) return Task.CompletedTask;
        _sentTurns[consoleEvent.TurnId] = 0;
        var sessionId = consoleEvent.SessionId;
        var key = RedisKeys.SessionEvents(sessionId);
        var fields = new NameValueEntry[] { new("o", redis.ReplicaId), new("t", consoleEvent.TurnId), new("e", TurnEventJson.Serialize(consoleEvent.Event)) };
        var at = consoleEvent.Event.At.ToUnixTimeMilliseconds();
        outbox.Add(db => Task.WhenAll(
            db.StreamAddAsync(key, fields, maxLength: RedisKeys.SessionEventsKept, useApproximateMaxLength: true),
            db.KeyExpireAsync(key, RedisKeys.SessionEventsExpiry),
            db.SortedSetAddAsync(RedisKeys.Sessions, sessionId, at),
            db.PublishAsync(RedisChannel.Literal(RedisKeys.TurnEventsAdded), redis.ReplicaId + " " + sessionId)));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The sessions with events since <paramref name="since"/> (a little before, for clocks apart) are read too: a
    /// notification missed while Redis was away, or while this replica was subscribing, delays nothing by more than a poll.
    /// </summary>
    private async Task<DateTimeOffset> FindActiveSessionsAsync(DateTimeOffset since, CancellationToken stopping)
    {
        var now = time.GetUtcNow();
        try
        {
            var db = await redis.DatabaseAsync(stopping);
            var active = await db.SortedSetRangeByScoreAsync(RedisKeys.Sessions, (since - TimeSpan.FromSeconds(10)).ToUnixTimeMilliseconds());
            foreach (var sessionId in active) _due[sessionId.ToString()] = 0;
            return now;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            redis.Failed(ex);
            return since;
        }
    }

    /// <summary>Reads a session's stream after this replica's offset to its end; false when Redis did not answer.</summary>
    private async Task<bool> ReadSessionAsync(string sessionId, CancellationToken stopping)
    {
        while (true)
        {
            StreamEntry[] entries;
            try
            {
                var db = await redis.DatabaseAsync(stopping);
                entries = await db.StreamRangeAsync(RedisKeys.SessionEvents(sessionId),
                    _offsets.TryGetValue(sessionId, out var offset) ? "(" + offset : "-", "+", ReadBatch);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                redis.Failed(ex);
                return false;
            }
            foreach (var entry in entries) TakeIn(sessionId, entry);
            if (entries.Length > 0) _offsets[sessionId] = entries[^1].Id.ToString();
            if (entries.Length < ReadBatch) return true;
        }
    }

    private void TakeIn(string sessionId, StreamEntry entry)
    {
        if (entry["o"] == redis.ReplicaId) return;
        var turnId = entry["t"].ToString();
        TurnEvent? turnEvent;
        try
        {
            turnEvent = TurnEventJson.Deserialize(entry["e"].ToString());
        }
        catch (System.Text.Json.JsonException ex)
        {
            logger.LogWarning("Session {Session}'s entry {Entry} in Redis is not a turn event ({Problem}); skipped", sessionId, entry.Id, ex.Message);
            return;
        }
        if (turnEvent is null || turnId.Length == 0 || _sentTurns.ContainsKey(turnId)) return;
        _otherReplicasTurns[turnId] = 0;
        bus.PublishTurnEvent(sessionId, turnId, turnEvent);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
