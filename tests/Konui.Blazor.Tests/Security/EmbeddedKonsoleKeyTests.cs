using System.Net;
using Konui.Blazor.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Konui.Blazor.Tests.Security;

/// <summary>
/// Konui's watch of its embedded konsole calls that konsole's API over loopback, as a browser on the same machine
/// does: with its own key it goes through while a guesser there waits, and does not forgive the guesser.
/// </summary>
public sealed class EmbeddedKonsoleKeyTests
{
    private const string Here = "127.0.0.1";
    private readonly AccessToken _token = new("the one right token");
    private readonly SignInThrottle _throttle = new(new FakeTimeProvider(), NullLogger<SignInThrottle>.Instance);
    private readonly EmbeddedKonsoleKey _key = new();

    private async Task<(int Status, bool Passed)> SendAsync(string path, string bearer)
    {
        var passed = false;
        var gate = new AccessGate(_ =>
        {
            passed = true;
            return Task.CompletedTask;
        }, _token, _throttle, _key);
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Get;
        http.Request.Path = path;
        http.Request.Host = new HostString(Here, 8666);
        http.Request.Headers.Authorization = "Bearer " + bearer;
        http.Connection.RemoteIpAddress = IPAddress.Parse(Here);
        http.Response.Body = new MemoryStream();
        await gate.InvokeAsync(http);
        return (http.Response.StatusCode, passed);
    }

    [Fact]
    public async Task Konui_reaches_its_embedded_konsole_while_a_guesser_on_this_machine_waits_and_does_not_forgive_it()
    {
        for (var i = 0; i < SignInThrottle.FreeFailures + 1; i++) _throttle.Failed(Here);
        var wait = _throttle.WaitFor(Here);
        Assert.True(wait > TimeSpan.Zero);

        var watch = await SendAsync("/api/konsole/status", _key.Value);
        var guess = await SendAsync("/api/konsole/status", "a guess");

        Assert.True(watch.Passed);
        Assert.Equal(wait, _throttle.WaitFor(Here));
        Assert.Equal((StatusCodes.Status429TooManyRequests, false), guess);
    }

    [Fact]
    public async Task The_key_opens_the_embedded_konsole_s_api_only_and_each_start_makes_another()
    {
        Assert.Equal((StatusCodes.Status401Unauthorized, false), await SendAsync("/mcp", _key.Value));
        Assert.Equal((StatusCodes.Status401Unauthorized, false), await SendAsync("/api/reports", _key.Value));
        Assert.Equal((StatusCodes.Status302Found, false), await SendAsync("/kontasks", _key.Value));
        Assert.False(new EmbeddedKonsoleKey().Matches(_key.Value));
    }
}
