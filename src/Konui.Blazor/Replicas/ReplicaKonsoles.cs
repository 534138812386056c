using System.Collections.Immutable;
using System.Text.Json;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// The replicas' konsoles: this replica announces its embedded konsole in Redis (name, URL, heartbeat every
/// <see cref="HeartbeatInterval"/>) and hears the others' into <see cref="RedisStatus.OtherReplicas"/>; one silent for
/// <see cref="GoneAfter"/> counts as gone. Konsole makes the first answer to a decision win, whichever replica sends it.
/// </summary>
public sealed class ReplicaKonsoles(RedisLink redis, RedisStatus status, string url, TimeProvider time, ILogger<ReplicaKonsoles> logger)
    : BackgroundService
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan GoneAfter = TimeSpan.FromSeconds(20);

    private string Name => status.ReplicaName!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var beat = new PeriodicTimer(HeartbeatInterval, time);
        try
        {
            do await AnnounceAsync(stoppingToken);
            while (await beat.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task AnnounceAsync(CancellationToken stopping)
    {
        try
        {
            var db = await redis.DatabaseAsync(stopping);
            var now = time.GetUtcNow();
            await db.HashSetAsync(RedisKeys.Konsoles, Name, JsonSerializer.Serialize(new ReplicaKonsole(Name, url, now), JsonSerializerOptions.Web));
            var heard = (await db.HashGetAllAsync(RedisKeys.Konsoles))
                .Select(e => JsonSerializer.Deserialize<ReplicaKonsole>(e.Value.ToString(), JsonSerializerOptions.Web))
                .OfType<ReplicaKonsole>()
                .ToList();
            foreach (var gone in heard.Where(k => now - k.HeardAt > GoneAfter)) await db.HashDeleteAsync(RedisKeys.Konsoles, gone.Name);
            var others = heard.Where(k => k.Name != Name && now - k.HeardAt <= GoneAfter).OrderBy(k => k.Name, StringComparer.Ordinal).ToImmutableArray();
            status.Heard(others);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            redis.Failed(ex);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("A konsole announcement in Redis is not one ({Problem})", ex.Message);
        }
    }
}
