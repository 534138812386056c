using System.Net;
using Konui.Testing;

namespace Konui.Blazor.Tests.Security;

public sealed class ListenAddressTests
{
    [Fact]
    public async Task Listening_beyond_loopback_without_a_token_is_refused_with_a_clear_error()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            KonuiProcess.StartAsync(listenHost: "0.0.0.0"));

        Assert.Contains("Konui would listen on http://0.0.0.0:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Konui__AccessToken", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listening_beyond_loopback_with_a_token_works_and_demands_it()
    {
        await using var app = await KonuiProcess.StartAsync(
            new Dictionary<string, string> { ["Konui__AccessToken"] = "s3cret" }, listenHost: "0.0.0.0");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(app.BaseUrl + "/kontasks");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task On_loopback_without_a_token_pages_are_open_but_foreign_origins_are_refused()
    {
        await using var app = await KonuiProcess.StartAsync();
        using var http = new HttpClient();

        using var page = await http.GetAsync(app.BaseUrl + "/kontasks");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        foreach (var endpoint in new[] { "/_blazor/negotiate?negotiateVersion=1", "/mcp" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, app.BaseUrl + endpoint) { Content = new StringContent("{}") };
            request.Headers.Add("Origin", "http://evil.example");
            using var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
    }

    [Fact]
    public async Task On_loopback_without_a_token_a_rebound_host_name_is_refused()
    {
        await using var app = await KonuiProcess.StartAsync();
        using var http = new HttpClient();

        foreach (var path in new[] { "/kontasks", "/mcp", "/api/konsole/status" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, app.BaseUrl + path);
            request.Headers.Host = $"attacker.example:{app.Port}";
            using var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using var local = new HttpRequestMessage(HttpMethod.Get, app.BaseUrl + "/kontasks");
        local.Headers.Host = $"localhost:{app.Port}";
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(local)).StatusCode);
    }
}
