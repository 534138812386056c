using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Konui.Blazor.Notifications;
using Konui.Core;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// The kontask feed between replicas: every kontask line this replica's store takes in (made through its /mcp, or
/// appended to its kontasks.jsonl by any process) is added to a Redis Stream, and every replica reads that stream from
/// its own offset (kept in its data folder, so a restart resumes there) and appends what it lacks to its own store,
/// whose watcher then tells its bus and every open page. A line the store already has (by kontask id and content) is
/// skipped, and a line that came from the feed is not sent back to it. How far into kontasks.jsonl Redis has taken
/// this replica's lines is kept in its data folder too: lines appended while Konui was stopped, or queued for a Redis
/// that was away when Konui stopped, are sent when it starts again (on the first start with Redis, the kontasks
/// already there stay this replica's own).
/// </summary>
/// <param name="started">Cancelled once every hosted service has started (the store's indexing among them).</param>
public sealed class KontaskFeed(RedisLink redis, RedisOutbox outbox, EventBus bus, KontaskStore store, string dataDir,
    ILogger<KontaskFeed> logger, CancellationToken started) : BackgroundService
{
    /// <summary>Where this replica has read the feed to (a stream entry id).</summary>
    public const string OffsetFile = "redis-kontask-feed.offset";

    /// <summary>How far into kontasks.jsonl Redis has taken this replica's lines (a byte offset).</summary>
    public const string SentFile = "redis-kontask-feed.sent";

    /// <summary>How often the feed is read when no notification came (a missed one, or one sent while Redis was away).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const int ReadBatch = 200;
    private readonly ConcurrentDictionary<string, byte> _fromFeed = new(StringComparer.Ordinal);
    private readonly Wakeup _wake = new();
    private readonly Lock _sentGate = new();
    private readonly string _offsetFile = Path.Combine(dataDir, OffsetFile);
    private readonly string _sentFile = Path.Combine(dataDir, SentFile);
    private string? _offset;
    private long _sentUpTo;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _offset = File.Exists(_offsetFile) ? (await File.ReadAllTextAsync(_offsetFile, stoppingToken)).Trim() : null;
        using var sent = bus.SubscribeKontasks(OnKontaskAsync, capacity: 100_000);
        try
        {
            // The store starts indexing as a hosted service of its own; before that, its queries would find it empty.
            var whenStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (started.Register(() => whenStarted.TrySetResult())) await whenStarted.Task.WaitAsync(stoppingToken);
            await Task.Run(SendMissed, stoppingToken);
        }
        catch (IOException ex)
        {
            logger.LogWarning("What kontasks.jsonl got while this replica did not send could not be read ({Problem}): it stays here", ex.Message);
        }
        // Without the wake-up (Redis away at start) the feed is read each poll: the subscription is made when it can be.
        var subscribing = redis.SubscribeAsync(RedisKeys.KontasksAdded, _ => _wake.Wake(), stoppingToken);
        redis.Restored += _wake.Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReadNewAsync(stoppingToken);
                await _wake.WaitAsync(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            redis.Restored -= _wake.Wake;
            await subscribing;
        }
    }

    private Task OnKontaskAsync(KontaskEvent kontaskEvent)
    {
        switch (kontaskEvent)
        {
            case KontaskReady ready:
                Send(ready.Kontask);
                break;
            case KontaskUpdated updated:
                Send(updated.Kontask);
                break;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends what kontasks.jsonl got past the point Redis took this replica's lines to (the store has indexed the file
    /// by now: its queries wait for that).
    /// </summary>
    private void SendMissed()
    {
        var end = File.Exists(store.FilePath) ? new FileInfo(store.FilePath).Length : 0;
        if (!File.Exists(_sentFile))
        {
            MarkSent(end);
            return;
        }
        var sentUpTo = long.TryParse(File.ReadAllText(_sentFile).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var known) ? known : 0;
        // A file shorter than that was replaced or truncated: all of it is news.
        if (sentUpTo > end) sentUpTo = 0;
        lock (_sentGate) _sentUpTo = Math.Max(_sentUpTo, sentUpTo);
        var missed = store.Query(new KontaskQuery(Take: int.MaxValue)).Items.Where(k => k.Offset >= sentUpTo).OrderBy(k => k.Offset).ToList();
        if (missed.Count > 0) logger.LogInformation("{Count} kontasks appended while this replica did not send go to Redis now", missed.Count);
        foreach (var summary in missed) Send(summary);
    }

    private void Send(KontaskSummary summary)
    {
        var end = summary.Offset + summary.Length;
        if (summary.IsOversize)
        {
            logger.LogWarning("Kontask {Id} is over {Limit} bytes: it stays on this replica", summary.Id, KontaskLimits.RecordBytes);
            Passed(end);
            return;
        }
        if (store.Get(summary.Id) is not { } kontask) return;
        var line = KontaskJson.Serialize(kontask);
        if (_fromFeed.TryRemove(Fingerprint(line), out _))
        {
            Passed(end);
            return;
        }
        var fields = new NameValueEntry[] { new("o", redis.ReplicaId), new("k", line) };
        outbox.Add(db =>
        {
            var added = Task.WhenAll(
                db.StreamAddAsync(RedisKeys.Kontasks, fields, maxLength: RedisKeys.KontasksKept, useApproximateMaxLength: true),
                db.PublishAsync(RedisChannel.Literal(RedisKeys.KontasksAdded), redis.ReplicaId));
            added.ContinueWith(_ => MarkSent(end), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return added;
        });
    }

    /// <summary>A line that is not sent (it came from the feed, or is too big) counts as sent when nothing before it waits.</summary>
    private void Passed(long end)
    {
        if (outbox.Waiting == 0) MarkSent(end);
    }

    private void MarkSent(long end)
    {
        lock (_sentGate)
        {
            if (end <= _sentUpTo && File.Exists(_sentFile)) return;
            _sentUpTo = Math.Max(_sentUpTo, end);
            try
            {
                PrivateFile.Write(_sentFile, Encoding.UTF8.GetBytes(_sentUpTo.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            catch (IOException ex)
            {
                logger.LogWarning("How far Redis took this replica's kontasks could not be kept in {File} ({Problem}); a restart may send some again", _sentFile, ex.Message);
            }
        }
    }

    /// <summary>Reads the feed after this replica's offset until it has read all of it, taking in what others added.</summary>
    private async Task ReadNewAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            StreamEntry[] entries;
            try
            {
                var db = await redis.DatabaseAsync(stopping);
                entries = await db.StreamRangeAsync(RedisKeys.Kontasks, _offset is null ? "-" : "(" + _offset, "+", ReadBatch);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                redis.Failed(ex);
                return;
            }
            if (entries.Length == 0) return;
            foreach (var entry in entries) TakeIn(entry);
            _offset = entries[^1].Id.ToString();
            try
            {
                PrivateFile.Write(_offsetFile, Encoding.UTF8.GetBytes(_offset));
            }
            catch (IOException ex)
            {
                logger.LogWarning("The kontask feed's offset could not be kept in {File} ({Problem}); a restart reads the feed again from the last one kept", _offsetFile, ex.Message);
            }
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
