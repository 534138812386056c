using System.Net;
using Konui.Testing;
using ModelContextProtocol.Client;

namespace Konui.Blazor.Tests.Security;

/// <summary>With Konui:AccessToken set, everything but static assets and the sign-in page demands the token.</summary>
public sealed class AccessTokenTests(AccessTokenTests.ProtectedApp app) : IClassFixture<AccessTokenTests.ProtectedApp>
{
    private const string Token = "correct horse battery staple";

    public sealed class ProtectedApp : IAsyncLifetime
    {
        public KonuiProcess Konui { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Konui = await KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konui__AccessToken"] = Token });

        public Task DisposeAsync() => Konui.DisposeAsync().AsTask();
    }

    private HttpClient Client(bool followRedirects = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = false }) { BaseAddress = new Uri(app.Konui.BaseUrl) };

    private async Task<string> SignInCookie()
    {
        using var http = Client();
        using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token, ["returnUrl"] = "/kontasks" }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/kontasks", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Uri.EscapeDataString(Token), cookie, StringComparison.Ordinal);
        return cookie.Split(';')[0];
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/kontasks")]
    [InlineData("/kontasks/kt_anything?x=1")]
    public async Task Pages_send_a_visitor_without_the_token_to_sign_in(string page)
    {
        using var http = Client();
        using var response = await http.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=" + Uri.EscapeDataString(page), response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/mcp")]
    [InlineData("/api/konsole/status")]
    [InlineData("/_blazor/negotiate?negotiateVersion=1")]
    public async Task The_hub_mcp_and_api_answer_401_without_the_token(string endpoint)
    {
        using var http = Client();
        using var response = await http.PostAsync(endpoint, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/\t/evil.example/path")]
    [InlineData("/%09/evil.example/path")]
    [InlineData("/%2509/evil.example/path")]
    [InlineData("//evil.example/path")]
    [InlineData("/\\evil.example/path")]
    [InlineData("/%5Cevil.example/path")]
    [InlineData("/%2F/evil.example/path")]
    [InlineData("/\n/evil.example/path")]
    [InlineData("/\r\n/evil.example/path")]
    [InlineData("/\u007f/evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("~//evil.example/")]
    [InlineData(" //evil.example/")]
    public async Task Signing_in_never_sends_the_browser_to_another_origin(string returnUrl)
    {
        using var http = Client();
        using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token, ["returnUrl"] = returnUrl }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);

        using var page = await http.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Contains("name=\"returnUrl\" value=\"/\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_address_with_a_null_character_gets_a_clear_error_and_no_redirect()
    {
        using var http = Client();
        using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token, ["returnUrl"] = "/\0/evil.example" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("could not be read", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("/kontasks/kt_anything?x=1")]
    [InlineData("/sessions/abc?search=a%20b")]
    public async Task Signing_in_returns_to_a_page_of_konui(string returnUrl)
    {
        using var http = Client();
        using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token, ["returnUrl"] = returnUrl }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(returnUrl, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_with_a_message_and_no_cookie()
    {
        using var http = Client();
        using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "guess" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not Konui's access token", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Signing_in_opens_the_pages_and_the_hub_but_the_hub_refuses_a_foreign_origin()
    {
        var cookie = await SignInCookie();
        using var http = Client();
        http.DefaultRequestHeaders.Add("Cookie", cookie);

        using var page = await http.GetAsync("/kontasks");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Kontasks · Konui</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", app.Konui.BaseUrl);
        using var own = await http.SendAsync(negotiate);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", "http://evil.example");
        using var refused = await http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Mcp_works_with_the_bearer_token()
    {
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(app.Konui.BaseUrl + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token },
        }));

        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "konui_create_task");
    }

    [Theory]
    [InlineData("/app.css")]
    [InlineData("/favicon.svg")]
    [InlineData("/lib/mermaid/mermaid.min.js")]
    [InlineData("/js/kontask-frame.js")]
    public async Task Static_assets_stay_public_so_sandboxed_kontask_frames_can_load_them(string asset)
    {
        using var http = Client();
        using var response = await http.GetAsync(asset);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
