using Konui.Core;

namespace Konui.Blazor.Security;

/// <summary>Whether the configured listen URLs reach beyond this machine.</summary>
public static class ListenAddresses
{
    public static IEnumerable<string> NotLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(url => !IsLoopback(url));

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/', 2)[0];
        return Loopback.IsHost(host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)] : host.Split(':')[0]);
    }
}
