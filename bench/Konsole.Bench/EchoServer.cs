using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Konui.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Konsole.Bench;

/// <summary>
/// The baseline the dashboard's numbers are read against: a bare Kestrel WebSocket endpoint in this process that
/// pushes the same stamped words at the same rate to a page, which appends each one to its DOM as it arrives. What
/// it measures is the machine and the browser (loopback, WebSocket, the DOM), with no Konui in the path.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    public const string ReadySelector = "body[data-ready=true]";

    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>WebSocket echo baseline</title></head>
        <body><div id="words"></div>
        <script>
          const words = document.getElementById('words');
          const socket = new WebSocket(`ws://${location.host}/words`);
          socket.onopen = () => document.body.dataset.ready = 'true';
          socket.onmessage = e => words.appendChild(document.createTextNode(e.data));
        </script></body></html>
        """;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<WebSocket, bool> _sockets = new();

    private EchoServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<EchoServer> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new EchoServer(app, url);
        app.UseWebSockets();
        app.MapGet("/", () => Results.Content(Page, "text/html; charset=utf-8"));
        app.Map("/words", server.AcceptAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Pushes <paramref name="count"/> stamped words at <paramref name="perSecond"/> to every open page.</summary>
    public Task PushAsync(int count, double perSecond) => Task.Factory.StartNew(() => Pacer.Run(count, perSecond, seq =>
    {
        var word = Encoding.UTF8.GetBytes(DeltaStamp.Word(seq));
        foreach (var socket in _sockets.Keys) socket.SendAsync(word, WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
    }), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Pushes one stamped word per entry of <paramref name="words"/> (numbered from 1), each sent <c>ReadMs</c> after the
    /// start and stamped as written <c>WrittenMs</c> after it: a recorded stream's own pace and delays, replayed.
    /// </summary>
    public Task ReplayAsync(IReadOnlyList<(double WrittenMs, double ReadMs)> words) => Task.Factory.StartNew(() =>
    {
        var start = DeltaStamp.NowMicros();
        Pacer.RunAt(words.Select(w => w.ReadMs).ToList(), i =>
        {
            var word = Encoding.UTF8.GetBytes(DeltaStamp.Word(i + 1, start + (long)(words[i].WrittenMs * 1000)));
            foreach (var socket in _sockets.Keys) socket.SendAsync(word, WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
        });
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        _sockets[socket] = true;
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open && !(await socket.ReceiveAsync(buffer, context.RequestAborted)).CloseStatus.HasValue)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        _sockets.TryRemove(socket, out _);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
