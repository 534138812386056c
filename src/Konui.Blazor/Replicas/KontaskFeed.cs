using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Konui.Blazor.Notifications;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// The kontask feed between replicas: every kontask line this replica's store takes in (made through its /mcp, or
/// appended to its kontasks.jsonl by any process) is added to a Redis Stream, and every replica reads that stream from
/// its own offset (kept in its data folder, so a restart resumes there) and appends what it lacks to its own store,
/// whose watcher then tells its bus and every open page. A line the store already has (by kontask id and content) is
/// skipped, and a line that came from the feed is not sent back to it.
/// </summary>
public sealed class KontaskFeed(RedisLink redis, RedisOutbox outbox, EventBus bus, KontaskStore store, string offsetFile,
    ILogger<KontaskFeed> logger) : BackgroundService
{
    /// <summary>How often the feed is read when no notification came (a missed one, or one sent while Redis was away).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const int ReadBatch = 200;
    private readonly ConcurrentDictionary<string, byte> _fromFeed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private string? _offset;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _offset = File.Exists(offsetFile) ? (await File.ReadAllTextAsync(offsetFile, stoppingToken)).Trim() : null;
        using var sent = bus.SubscribeKontasks(OnKontaskAsync, capacity: 100_000);
        await redis.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.KontasksAdded), (_, _) => Wake());
        redis.Connection.ConnectionRestored += OnRestored;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReadNewAsync(stoppingToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(PollInterval);
                try
                {
                    await _wake.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            redis.Connection.ConnectionRestored -= OnRestored;
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e) => Wake();

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A read is due already.
        }
    }

    private Task OnKontaskAsync(KontaskEvent kontaskEvent)
    {
        var summary = kontaskEvent switch
        {
            KontaskReady ready => ready.Kontask,
            KontaskUpdated updated => updated.Kontask,
            _ => null,
        };
        if (summary is null) return Task.CompletedTask;
        if (summary.IsOversize)
        {
            logger.LogWarning("Kontask {Id} is over {Limit} bytes: it stays on this replica", summary.Id, KontaskLimits.RecordBytes);
            return Task.CompletedTask;
        }
        if (store.Get(summary.Id) is not { } kontask) return Task.CompletedTask;
        var line = KontaskJson.Serialize(kontask);
        if (_fromFeed.TryRemove(Fingerprint(line), out _)) return Task.CompletedTask;
        var fields = new NameValueEntry[] { new("o", redis.ReplicaId), new("k", line) };
        outbox.Add(db => Task.WhenAll(
            db.StreamAddAsync(RedisKeys.Kontasks, fields, maxLength: RedisKeys.KontasksKept, useApproximateMaxLength: true),
            db.PublishAsync(RedisChannel.Literal(RedisKeys.KontasksAdded), redis.ReplicaId)));
        return Task.CompletedTask;
    }

    /// <summary>Reads the feed after this replica's offset until it has read all of it, taking in what others added.</summary>
    private async Task ReadNewAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            StreamEntry[] entries;
            try
            {
                entries = await redis.Database.StreamRangeAsync(RedisKeys.Kontasks, _offset is null ? "-" : "(" + _offset, "+", ReadBatch);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                redis.Failed(ex);
                return;
            }
            if (entries.Length == 0) return;
            foreach (var entry in entries) TakeIn(entry);
            _offset = entries[^1].Id.ToString();
            PrivateFile.Write(offsetFile, Encoding.UTF8.GetBytes(_offset));
            if (entries.Length < ReadBatch) return;
        }
    }

    private void TakeIn(StreamEntry entry)
    {
        if (entry["o"] == redis.ReplicaId) return;
        var line = entry["k"].ToString();
        Kontask? kontask;
        try
        {
            kontask = KontaskJson.Deserialize(line);
        }
        catch (System.Text.Json.JsonException ex)
        {
            logger.LogWarning("Kontask feed entry {Entry} is not a kontask ({Problem}); skipped", entry.Id, ex.Message);
            return;
        }
        if (kontask is null || string.IsNullOrEmpty(kontask.Id))
        {
            logger.LogWarning("Kontask feed entry {Entry} has no kontask id; skipped", entry.Id);
            return;
        }
        if (store.Get(kontask.Id) is { } known && KontaskJson.Serialize(known) == line) return;
        _fromFeed[Fingerprint(line)] = 0;
        store.Append(kontask);
    }

    private static string Fingerprint(string line) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
