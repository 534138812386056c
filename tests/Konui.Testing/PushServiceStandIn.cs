using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Konui.Testing;

/// <summary>
/// A stand-in for a browser vendor's push service (Mozilla's, Google's): it takes Web Push requests at
/// /push/{device} on a loopback port and records each (its headers, its encrypted body, when it arrived). It answers
/// 201 Created, as push services do, or whatever status the test sets for a device (410 Gone: the subscription ended).
/// </summary>
public sealed class PushServiceStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<PushDelivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);

    private PushServiceStandIn(WebApplication app) => _app = app;

    public required string BaseUrl { get; init; }

    public IReadOnlyList<PushDelivery> Deliveries => [.. _deliveries];

    /// <summary>A subscription endpoint on this service.</summary>
    public string EndpointFor(string device) => $"{BaseUrl}/push/{device}";

    /// <summary>From now on, requests for <paramref name="device"/> get <paramref name="status"/>.</summary>
    public void Answer(string device, HttpStatusCode status) => _answers[device] = (int)status;

    public static async Task<PushServiceStandIn> StartAsync()
    {
        PushServiceStandIn? service = null;
        var (app, baseUrl) = await LoopbackServer.StartAsync(http => service!.TakeAsync(http));
        service = new PushServiceStandIn(app) { BaseUrl = baseUrl };
        return service;
    }

    /// <summary>Waits for the first delivery to <paramref name="device"/> after the first <paramref name="skip"/> to it.</summary>
    public async Task<PushDelivery> WaitForAsync(string device, int skip = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_deliveries.Where(d => d.Device == device).Skip(skip).FirstOrDefault() is { } delivery) return delivery;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No push for {device} (after {skip}) within {timeout ?? TimeSpan.FromSeconds(30)}.");
            await Task.Delay(10);
        }
    }

    private async Task TakeAsync(HttpContext http)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var path = http.Request.Path.Value ?? "";
        if (!HttpMethods.IsPost(http.Request.Method) || !path.StartsWith("/push/", StringComparison.Ordinal))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var device = path["/push/".Length..];
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        _deliveries.Enqueue(new PushDelivery(device, headers, body.ToArray(), receivedAt));
        http.Response.StatusCode = _answers.GetValueOrDefault(device, StatusCodes.Status201Created);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
