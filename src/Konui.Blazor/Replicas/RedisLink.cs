using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// This replica's one connection to Redis (StackExchange.Redis multiplexes every command and subscription over it).
/// It connects in the background and keeps reconnecting, so Konui starts and serves while Redis is away; it keeps
/// <see cref="RedisStatus"/> up to date and wakes whoever waits for Redis to come back.
/// </summary>
public sealed class RedisLink : IDisposable
{
    private readonly RedisStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisLink> _logger;
    private TaskCompletionSource _back = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RedisLink(string connectionString, RedisStatus status, TimeProvider time, ILogger<RedisLink> logger)
    {
        _status = status;
        _time = time;
        _logger = logger;
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "konui";
        Connection = ConnectionMultiplexer.Connect(options);
        Connection.ConnectionFailed += (_, e) => Lost(e.Exception?.Message ?? e.FailureType.ToString());
        Connection.ConnectionRestored += (_, _) => Check();
        if (!Connection.IsConnected) Lost("no connection at start");
        else Check();
    }

    /// <summary>This replica, as its entries in Redis name it (a fresh id per process: a restart reads its own old entries like anyone's).</summary>
    public string ReplicaId { get; } = Guid.NewGuid().ToString("N");

    public IConnectionMultiplexer Connection { get; }

    public IDatabase Database => Connection.GetDatabase();

    /// <summary>Completes when Redis answers again (at once while it answers).</summary>
    public Task Back => Connection.IsConnected && _status.UnreachableSince is null ? Task.CompletedTask : _back.Task;

    /// <summary>
    /// Subscribes to a channel, trying again while Redis is away (once subscribed, the connection subscribes again by
    /// itself after each reconnect). Returns when subscribed, or when <paramref name="stopping"/> is cancelled.
    /// </summary>
    public async Task SubscribeAsync(string channel, Action<RedisValue> handler, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, message) => handler(message));
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Failed(ex);
                try
                {
                    await Task.WhenAny(Back, Task.Delay(TimeSpan.FromSeconds(1), _time, stopping));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>A command failed: Redis counts as unreachable until the connection is restored.</summary>
    public void Failed(Exception ex)
    {
        if (Connection.IsConnected) return;
        Lost(ex.Message);
    }

    private void Lost(string why)
    {
        if (_status.UnreachableSince is null) _logger.LogWarning("Redis is unreachable ({Problem}); Konui serves what it has and catches up when it returns", why);
        _status.Unreachable(_time.GetUtcNow());
    }

    private void Check()
    {
        if (!Connection.IsConnected) return;
        if (_status.UnreachableSince is { } since) _logger.LogInformation("Redis answers again (unreachable since {Since:O}); catching up", since);
        _status.Reachable();
        Interlocked.Exchange(ref _back, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public void Dispose() => Connection.Dispose();
}
