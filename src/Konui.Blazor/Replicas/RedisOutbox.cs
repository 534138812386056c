using System.Threading.Channels;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// What a replica has to add to Redis, sent in order, in pipelined batches. A batch Redis did not take is sent again,
/// whole and first, once Redis answers: during an outage everything queues here (in memory) and nothing is lost or
/// reordered. A batch sent twice (Redis took it but the answer was lost) is harmless: readers drop what they have.
/// </summary>
public sealed class RedisOutbox(RedisLink redis, TimeProvider time, ILogger<RedisOutbox> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private readonly Channel<Func<IDatabaseAsync, Task>> _queue = Channel.CreateUnbounded<Func<IDatabaseAsync, Task>>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>How many commands wait for Redis.</summary>
    public int Waiting => _queue.Reader.Count;

    public void Add(Func<IDatabaseAsync, Task> command) => _queue.Writer.TryWrite(command);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Func<IDatabaseAsync, Task>>(BatchSize);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var command)) batch.Add(command);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var pipeline = redis.Database.CreateBatch();
                    var sent = batch.Select(command => command(pipeline)).ToArray();
                    pipeline.Execute();
                    await Task.WhenAll(sent);
                    break;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    redis.Failed(ex);
                    logger.LogDebug("Redis did not take {Count} commands ({Problem}); they wait for it", batch.Count + Waiting, ex.Message);
                    await Task.WhenAny(redis.Back, Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken));
                }
            }
            batch.Clear();
        }
    }
}
