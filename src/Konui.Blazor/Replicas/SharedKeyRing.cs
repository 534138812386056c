using System.Xml.Linq;
using Konui.Blazor.Notifications;
using Microsoft.AspNetCore.DataProtection.Repositories;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

/// <summary>
/// The ASP.NET data-protection key ring, shared through Redis (a list of the keys' XML, as the framework's own Redis
/// repository keeps it), so what one replica protects every replica can read. A copy stays in this replica's data
/// folder (readable by its owner only): while Redis is away, the keys come from there, and a key made meanwhile is
/// kept there and added to Redis when it returns. So pages render while Redis is away, also right after a start.
/// </summary>
public sealed class SharedKeyRing(RedisLink redis, RedisOutbox outbox, string copyFile, ILogger<SharedKeyRing> logger) : IXmlRepository
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _sharing = new(StringComparer.Ordinal);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // The first read waits for the first attempt to connect, so that a new replica takes the keys the others share
        // instead of making its own: milliseconds when Redis answers or nothing listens at its address (the connect
        // timeout only when its host says nothing at all).
        redis.FirstAttempt.Wait();
        if (redis.Connection is { IsConnected: true } connection)
        {
            try
            {
                // Keys on their way to Redis as it is read are not lost: noted before the read, as one may arrive meanwhile.
                string[] onTheirWay;
                lock (_gate) onTheirWay = [.. _sharing];
                // A key added twice (a batch sent again after a lost answer) counts once: the framework refuses a ring with a key twice.
                var shared = connection.GetDatabase().ListRange(RedisKeys.DataProtectionKeys).Select(value => XElement.Parse(value.ToString())).DistinctBy(Identity).ToList();
                lock (_gate)
                {
                    var known = shared.Select(Identity).ToHashSet(StringComparer.Ordinal);
                    var lost = ReadCopy().Where(k => !known.Contains(Identity(k))).ToList();
                    known.UnionWith(onTheirWay);
                    // Keys Redis lost (it restarted without its data, or never took them): this replica adds them again.
                    foreach (var key in lost.Where(k => !known.Contains(Identity(k)))) Share(key);
                    var all = shared.Concat(lost).ToList();
                    WriteCopy(all);
                    return all;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                redis.Failed(ex);
            }
        }
        logger.LogInformation("Redis is away: the data-protection keys come from this replica's copy");
        lock (_gate) return ReadCopy();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_gate)
        {
            WriteCopy([.. ReadCopy(), element]);
            Share(element);
        }
    }

    /// <summary>Queues a key for Redis (called under the lock); until Redis took it, it is not "lost" from Redis but on its way.</summary>
    private void Share(XElement key)
    {
        var xml = key.ToString(SaveOptions.DisableFormatting);
        var identity = Identity(key);
        _sharing.Add(identity);
        outbox.Add(db =>
        {
            var pushed = db.ListRightPushAsync(RedisKeys.DataProtectionKeys, xml);
            pushed.ContinueWith(_ => { lock (_gate) _sharing.Remove(identity); }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return pushed;
        });
    }

    /// <summary>A key by its id; anything else in the ring (a revocation) by its whole text.</summary>
    private static string Identity(XElement element) => (string?)element.Attribute("id") ?? element.ToString(SaveOptions.DisableFormatting);

    private List<XElement> ReadCopy() => File.Exists(copyFile) ? XDocument.Load(copyFile).Root!.Elements().ToList() : [];

    private void WriteCopy(IEnumerable<XElement> keys) =>
        PrivateFile.Write(copyFile, System.Text.Encoding.UTF8.GetBytes(new XDocument(new XElement("keys", keys)).ToString()));
}
