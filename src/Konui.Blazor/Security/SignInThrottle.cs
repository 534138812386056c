using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Konui.Blazor.Security;

/// <summary>
/// Slows down, then locks out, a client that keeps presenting a wrong access token (on the sign-in page or as a bearer
/// header): its first <see cref="FreeFailures"/> failures cost nothing, each further one makes it wait twice as long
/// before its next try is even looked at (from <see cref="FirstWait"/>), and failure number <see cref="LockoutAfter"/>
/// locks it out for <see cref="Lockout"/>. Tries refused while it waits do not count, so a lockout always ends; a
/// client whose failures are older than <see cref="Lockout"/> starts afresh, and one that proves it holds the token is
/// forgiven. A client is its IP address (an IPv6 client its /64, which one machine usually owns whole).
/// </summary>
public sealed class SignInThrottle(TimeProvider time, ILogger<SignInThrottle> logger)
{
    public const int FreeFailures = 3;
    public const int LockoutAfter = 10;
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _clients = new(StringComparer.Ordinal);

    private sealed record Failures(int Count, DateTimeOffset Last, DateTimeOffset NextTry);

    /// <summary>How long the client must wait before a try of its will be looked at; zero when it may try now.</summary>
    public TimeSpan WaitFor(string client)
    {
        if (!_clients.TryGetValue(client, out var failures)) return TimeSpan.Zero;
        var wait = failures.NextTry - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Counts a wrong token (the caller has checked <see cref="WaitFor"/> first) and logs it, never the token.</summary>
    public void Failed(string client)
    {
        var now = time.GetUtcNow();
        var failures = _clients.AddOrUpdate(client,
            _ => Next(0, now),
            (_, before) => Next(now - before.Last >= Lockout ? 0 : before.Count, now));
        if (failures.Count >= LockoutAfter)
        {
            logger.LogWarning("A wrong access token from {Client}, {Count} in a row: locked out until {Until:O}", client, failures.Count, failures.NextTry);
        }
        else
        {
            logger.LogWarning("A wrong access token from {Client}, {Count} in a row; its next try waits {Wait}", client, failures.Count, failures.NextTry - now);
        }
        if (_clients.Count > PruneAbove) Prune(now);
    }

    /// <summary>The client showed the right token: its earlier failures are forgiven.</summary>
    public void Succeeded(string client) => _clients.TryRemove(client, out _);

    /// <summary>The client a request comes from, as this throttle counts it.</summary>
    public static string ClientOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static Failures Next(int countBefore, DateTimeOffset now)
    {
        var count = countBefore + 1;
        var wait = count >= LockoutAfter ? Lockout
            : count > FreeFailures ? FirstWait * Math.Pow(2, count - FreeFailures - 1)
            : TimeSpan.Zero;
        return new Failures(count, now, now + wait);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (client, failures) in _clients)
        {
            if (now - failures.Last >= Lockout && now >= failures.NextTry) _clients.TryRemove(client, out _);
        }
    }
}
