using System.Threading.Channels;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// What a replica has to add to Redis, sent in order, in pipelined batches. A batch Redis did not take is sent again,
/// whole and first, once Redis answers: during an outage everything queues here (in memory) and nothing is lost or
/// reordered. A command issues all it sends at once (no await between two of them: the batch is sent after the
/// commands are issued). A batch sent twice (Redis took it but the answer was lost) is harmless: readers drop what they have.
/// </summary>
public sealed class RedisOutbox(RedisLink redis, TimeProvider time, ILogger<RedisOutbox> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private readonly Channel<Func<IDatabaseAsync, Task>> _queue = Channel.CreateUnbounded<Func<IDatabaseAsync, Task>>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>How many commands wait for Redis.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    private int _waiting;

    public void Add(Func<IDatabaseAsync, Task> command)
    {
        Interlocked.Increment(ref _waiting);
        _queue.Writer.TryWrite(command);
    }

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
                    var pipeline = (await redis.DatabaseAsync(stoppingToken)).CreateBatch();
                    var sent = batch.Select(command => command(pipeline)).ToArray();
                    pipeline.Execute();
                    await Task.WhenAll(sent);
                    break;
                }
                catch (RedisServerException ex)
                {
                    // Redis answered, and said no (a key of another type, out of memory): sending it again would block
                    // everything behind it for good.
                    logger.LogError(ex, "Redis refused {Count} commands; they are dropped", batch.Count);
                    break;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    redis.Failed(ex);
                    logger.LogDebug("Redis did not take {Count} commands ({Problem}); they wait for it", Waiting, ex.Message);
                    await Task.WhenAny(redis.Back, Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken));
                }
            }
            Interlocked.Add(ref _waiting, -batch.Count);
            batch.Clear();
        }
    }
}
