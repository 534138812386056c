using System.Net;

namespace Konui.Blazor.Security;

/// <summary>Whether the configured listen URLs reach beyond this machine.</summary>
public static class ListenAddresses
{
    public static IEnumerable<string> NotLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(url => !IsLoopback(url));

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/', 2)[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
