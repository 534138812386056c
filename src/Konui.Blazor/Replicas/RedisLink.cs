using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// This replica's one connection to Redis (StackExchange.Redis multiplexes every command and subscription over it).
/// It is made in the background, so Konui starts and serves while Redis is away, and once made it reconnects by itself.
/// It keeps <see cref="RedisStatus"/> up to date and wakes whoever waits for Redis.
/// </summary>
public sealed class RedisLink : IDisposable
{
    /// <summary>How often a connection to Redis's address is tried while nothing accepts one there.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly RedisStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisLink> _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopping;
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IConnectionMultiplexer> _connection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _back = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RedisLink(string connectionString, RedisStatus status, TimeProvider time, ILogger<RedisLink> logger)
    {
        _status = status;
        _time = time;
        _logger = logger;
        _stopping = _stop.Token;
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "konui";
        _ = Task.Run(() => ConnectAsync(options)).ContinueWith(attempts =>
        {
            // Only a bug ends the attempts with an error: whoever waits for the first one goes on without Redis.
            if (attempts.Exception is { } bug)
            {
                _logger.LogError(bug, "Konui stopped trying to connect to Redis");
                Lost("Konui stopped trying to connect");
            }
            _firstAttempt.TrySetResult();
        }, TaskScheduler.Default);
    }

    /// <summary>This replica, as its entries in Redis name it (a fresh id per process: a restart reads its own old entries like anyone's).</summary>
    public string ReplicaId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The connection, once something accepted one at Redis's address (connected or not since); null before.</summary>
    public IConnectionMultiplexer? Connection => _connection.Task.IsCompletedSuccessfully ? _connection.Task.Result : null;

    /// <summary>
    /// Completes when the first attempt to connect has come to an end: at once when nothing listens at Redis's address,
    /// as soon as Redis answers when it does, after the connect timeout (5 s by default) when its host says nothing.
    /// </summary>
    public Task FirstAttempt => _firstAttempt.Task;

    /// <summary>Completes when Redis answers again (at once while it answers).</summary>
    public Task Back => Connection is { IsConnected: true } && _status.UnreachableSince is null ? Task.CompletedTask : _back.Task;

    /// <summary>Redis answers again, or for the first time (raised on the thread that noticed).</summary>
    public event Action? Restored;

    /// <summary>The database, once the connection is made (waits for that until <paramref name="stopping"/> is cancelled).</summary>
    public async Task<IDatabase> DatabaseAsync(CancellationToken stopping) => (await _connection.Task.WaitAsync(stopping)).GetDatabase();

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
                var connection = await _connection.Task.WaitAsync(stopping);
                await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, message) => handler(message));
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Failed(ex);
                try
                {
                    await Task.WhenAny(Back, Task.Delay(RetryInterval, _time, stopping));
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
        if (Connection is { IsConnected: true }) return;
        Lost(ex.Message);
    }

    /// <summary>
    /// Makes the connection once something accepts one at Redis's address (the first attempt has ended when this
    /// returns or tries again). The client's own first connect waits out
    /// its connect timeout when nothing listens there (whether it notices the refusal sooner is a race inside it), so a
    /// plain TCP connection, refused at once, is tried first; meanwhile the status bar says Redis is unreachable.
    /// </summary>
    private async Task ConnectAsync(ConfigurationOptions options)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (await AcceptsAsync(options))
                {
                    var connection = await ConnectionMultiplexer.ConnectAsync(options);
                    if (_stopping.IsCancellationRequested)
                    {
                        await connection.DisposeAsync();
                        return;
                    }
                    connection.ConnectionFailed += (_, e) => Lost(e.Exception?.Message ?? e.FailureType.ToString());
                    connection.ConnectionRestored += (_, _) => Check();
                    _connection.TrySetResult(connection);
                    if (connection.IsConnected) Check();
                    else Lost("no connection at start");
                    return;
                }
                Lost("nothing accepts a connection at its address");
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Lost(ex.Message);
            }
            _firstAttempt.TrySetResult();
            try
            {
                await Task.Delay(RetryInterval, _time, _stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Whether one of Redis's addresses accepts a TCP connection within the connect timeout (taken as so through a
    /// tunnel, which decides where the connection really goes).
    /// </summary>
    private async Task<bool> AcceptsAsync(ConfigurationOptions options)
    {
        if (options.Tunnel is not null) return true;
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(options.ConnectTimeout), _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(patience.Token, _stopping);
        var tries = options.EndPoints.Select(endpoint => AcceptsAsync(endpoint, either.Token)).ToList();
        while (tries.Count > 0)
        {
            var tried = await Task.WhenAny(tries);
            if (await tried)
            {
                await either.CancelAsync();
                return true;
            }
            tries.Remove(tried);
        }
        _stopping.ThrowIfCancellationRequested();
        return false;
    }

    private static async Task<bool> AcceptsAsync(EndPoint endpoint, CancellationToken patience)
    {
        try
        {
            // A host name's family is known once it is resolved: a dual-mode socket takes either.
            using var socket = endpoint.AddressFamily switch
            {
                AddressFamily.Unspecified => new Socket(SocketType.Stream, ProtocolType.Tcp),
                AddressFamily.Unix => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
                var family => new Socket(family, SocketType.Stream, ProtocolType.Tcp),
            };
            await socket.ConnectAsync(endpoint, patience);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Lost(string why)
    {
        if (_status.UnreachableSince is null) _logger.LogWarning("Redis is unreachable ({Problem}); Konui serves what it has and catches up when it returns", why);
        _status.Unreachable(_time.GetUtcNow());
    }

    private void Check()
    {
        if (Connection is not { IsConnected: true }) return;
        if (_status.UnreachableSince is { } since) _logger.LogInformation("Redis answers again (unreachable since {Since:O}); catching up", since);
        _status.Reachable();
        Interlocked.Exchange(ref _back, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        Restored?.Invoke();
    }

    public void Dispose()
    {
        // Not disposed: the attempts may still be using its token as they end.
        _stop.Cancel();
        Connection?.Dispose();
    }
}
