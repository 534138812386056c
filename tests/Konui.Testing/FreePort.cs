using System.Net;
using System.Net.Sockets;

namespace Konui.Testing;

/// <summary>Hands out free TCP ports on the loopback interface.</summary>
public static class FreePort
{
    /// <summary>
    /// Returns a TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; the socket is then closed).
    /// Prefer binding port 0 directly where the server allows it: another process can take the port in between.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
