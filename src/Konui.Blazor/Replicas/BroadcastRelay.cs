using System.Collections.Concurrent;
using System.Text.Json;
using Konui.Core.Events;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// Broadcasts between replicas: one made on this replica is published to the others (queued while Redis is away), and
/// one published by another replica goes on this replica's bus, so every open tab on every replica shows it.
/// </summary>
public sealed class BroadcastRelay(RedisLink redis, RedisOutbox outbox, EventBus bus, ILogger<BroadcastRelay> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> _fromOthers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _taken = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var sent = bus.SubscribeBroadcasts(OnBroadcastAsync);
        await redis.SubscribeAsync(RedisKeys.Broadcasts, TakeIn, stoppingToken);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Konui stops; the connection goes with it.
        }
    }

    private Task OnBroadcastAsync(Broadcast broadcast)
    {
        if (broadcast.Id.Length == 0 || _fromOthers.TryRemove(broadcast.Id, out _)) return Task.CompletedTask;
        var message = JsonSerializer.Serialize(new Relayed(redis.ReplicaId, broadcast), JsonSerializerOptions.Web);
        outbox.Add(db => db.PublishAsync(RedisChannel.Literal(RedisKeys.Broadcasts), message));
        return Task.CompletedTask;
    }

    private void TakeIn(RedisValue message)
    {
        Relayed? relayed;
        try
        {
            relayed = JsonSerializer.Deserialize<Relayed>(message.ToString(), JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("A broadcast from Redis is not one ({Problem}); skipped", ex.Message);
            return;
        }
        if (relayed is null || relayed.Replica == redis.ReplicaId) return;
        // A subscription tried twice while Redis was away may hear a broadcast twice: it shows once.
        if (!_taken.TryAdd(relayed.Broadcast.Id, 0)) return;
        if (_taken.Count > 1000) _taken.Clear();
        _fromOthers[relayed.Broadcast.Id] = 0;
        bus.Publish(relayed.Broadcast);
    }

    private sealed record Relayed(string Replica, Broadcast Broadcast);
}
