using Konui.Blazor.Console;

namespace Konui.Blazor.Replicas;

/// <summary>
/// The other replicas' konsoles as machines of this Konui: one is added (named as its replica) when the replica is
/// heard from in Redis, and removed when it falls silent, so this replica lists their sessions, follows their turns and
/// answers their decisions (konsole makes the first answer win, whichever replica sends it). The replicas share
/// Konui:AccessToken, which is the token of every replica's embedded konsole. A replica named as a configured
/// konsole is not added (that name shows the configured one) and the log says so.
/// </summary>
public sealed class ReplicaMachines(RedisStatus status, Konsoles konsoles, string? accessToken, ILogger<ReplicaMachines> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _syncing = new(1, 1);
    private readonly Dictionary<string, string> _added = new(StringComparer.OrdinalIgnoreCase);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        status.Changed += OnChanged;
        return SyncAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        status.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged() => _ = SyncAsync();

    /// <summary>Makes the machines added for replicas the replicas heard from now, one change at a time.</summary>
    private async Task SyncAsync()
    {
        await _syncing.WaitAsync();
        try
        {
            var heard = status.OtherReplicas.ToDictionary(r => r.Name, r => r.Url, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, url) in _added.ToList())
            {
                if (heard.GetValueOrDefault(name) == url) continue;
                _added.Remove(name);
                await konsoles.RemoveAsync(name);
                logger.LogInformation("Replica {Replica}'s konsole is no longer a machine here", name);
            }
            foreach (var (name, url) in heard)
            {
                if (_added.ContainsKey(name)) continue;
                if (konsoles.Find(name) is not null)
                {
                    logger.LogWarning("Replica {Replica} is named as a konsole configured here: its konsole is not added", name);
                    continue;
                }
                konsoles.Add(new KonsoleHost { Name = name, Url = url, AccessToken = accessToken });
                _added[name] = url;
                logger.LogInformation("Replica {Replica}'s konsole at {Url} is a machine here", name, url);
            }
        }
        catch (ArgumentException ex)
        {
            logger.LogWarning("A replica's konsole could not be added: {Problem}", ex.Message);
        }
        finally
        {
            _syncing.Release();
        }
    }

    public void Dispose() => _syncing.Dispose();
}
