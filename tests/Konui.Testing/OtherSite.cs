using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Konui.Testing;

/// <summary>
/// A web site that is not Konui (127.0.0.1, its own free port, so another origin), recording every request it gets:
/// what model-written content would try to reach. A path ending in .png answers a 1x1 picture, anything else a line
/// of text; nothing is cached, so every load shows up here.
/// </summary>
public sealed class OtherSite : IAsyncDisposable
{
    private static readonly byte[] Pixel = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtherSiteRequest> _requests = new();

    private OtherSite(WebApplication app) => _app = app;

    public required string BaseUrl { get; init; }

    public IReadOnlyList<OtherSiteRequest> Requests => [.. _requests];

    public static async Task<OtherSite> StartAsync()
    {
        OtherSite? site = null;
        var (app, baseUrl) = await LoopbackServer.StartAsync(http => site!.AnswerAsync(http));
        site = new OtherSite(app) { BaseUrl = baseUrl };
        return site;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        _requests.Enqueue(new OtherSiteRequest(http.Request.Method, http.Request.Path + http.Request.QueryString, http.Request.Headers.Referer.ToString()));
        http.Response.Headers.CacheControl = "no-store";
        if (http.Request.Path.Value?.EndsWith(".png", StringComparison.Ordinal) == true)
        {
            http.Response.ContentType = "image/png";
            await http.Response.Body.WriteAsync(Pixel);
            return;
        }
        http.Response.ContentType = "text/plain";
        await http.Response.WriteAsync("You reached another site.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
