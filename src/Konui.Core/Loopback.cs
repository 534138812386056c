using System.Net;

namespace Konui.Core;

/// <summary>The one loopback check: whether a host is this machine (localhost, 127.0.0.0/8 or ::1, brackets or not).</summary>
public static class Loopback
{
    public static bool IsHost(string host)
    {
        var bare = host.Trim('[', ']');
        return bare.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }
}
