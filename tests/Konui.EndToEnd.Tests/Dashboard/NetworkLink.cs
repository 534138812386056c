using System.Net;
using System.Net.Sockets;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>
/// The browser's network path to Konui, as a TCP relay on its own loopback port that a test can cut: every open
/// connection (the Blazor WebSocket included) drops at once, and new ones are refused until it is restored.
/// Chromium's offline emulation alone does not do this: it does not drop an open WebSocket (crbug.com/563644).
/// </summary>
public sealed class NetworkLink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private bool _cut;

    private NetworkLink(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Konui's address through this link.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Relays a new loopback port to Konui's <paramref name="targetPort"/>.</summary>
    public static NetworkLink To(int targetPort) => new(targetPort);

    /// <summary>Drops every open connection and refuses new ones.</summary>
    public void Cut()
    {
        TcpClient[] open;
        lock (_gate)
        {
            _cut = true;
            open = [.. _open];
            _open.Clear();
        }
        foreach (var client in open) client.Dispose();
    }

    /// <summary>Lets connections through again.</summary>
    public void Restore()
    {
        lock (_gate) _cut = false;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient browserSide;
            try
            {
                browserSide = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(browserSide);
        }
    }

    private async Task RelayAsync(TcpClient browserSide)
    {
        var konuiSide = new TcpClient();
        lock (_gate)
        {
            if (_cut)
            {
                browserSide.Dispose();
                konuiSide.Dispose();
                return;
            }
            _open.Add(browserSide);
            _open.Add(konuiSide);
        }
        try
        {
            await konuiSide.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            var browserStream = browserSide.GetStream();
            var konuiStream = konuiSide.GetStream();
            await Task.WhenAny(browserStream.CopyToAsync(konuiStream, _stop.Token), konuiStream.CopyToAsync(browserStream, _stop.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(browserSide);
                _open.Remove(konuiSide);
            }
            browserSide.Dispose();
            konuiSide.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
