using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Reach;

/// <summary>
/// Konui installs as an app: a web app manifest linked from every page, real icons, and a service worker that keeps
/// the app shell only and shows a clear page when Konui cannot be reached.
/// </summary>
public sealed class InstallableTests
{
    private const string ManifestLink = "<link rel=\"manifest\" href=\"/manifest.webmanifest\"\\s*/?>";

    [Fact]
    public async Task Every_page_links_a_manifest_whose_icons_are_real_pngs_of_their_size_also_behind_the_access_token()
    {
        await using var app = await KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konui__AccessToken"] = "installable-secret" });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };

        using var manifestResponse = await http.GetAsync("/manifest.webmanifest");
        Assert.Equal(HttpStatusCode.OK, manifestResponse.StatusCode);
        Assert.Equal("application/manifest+json", manifestResponse.Content.Headers.ContentType?.MediaType);
        var manifest = JsonDocument.Parse(await manifestResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("Konui", "Konui", "/", "standalone"), (manifest.GetProperty("name").GetString(), manifest.GetProperty("short_name").GetString(),
            manifest.GetProperty("start_url").GetString(), manifest.GetProperty("display").GetString()));
        Assert.Matches("^#[0-9a-f]{6}$", manifest.GetProperty("theme_color").GetString());
        var sizes = new HashSet<string>();
        foreach (var icon in manifest.GetProperty("icons").EnumerateArray())
        {
            var declared = icon.GetProperty("sizes").GetString()!;
            var png = await http.GetByteArrayAsync(icon.GetProperty("src").GetString());
            Assert.Equal("image/png", icon.GetProperty("type").GetString());
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, png[..8]);
            var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            Assert.Equal(declared, $"{width}x{height}");
            sizes.Add(declared);
        }
        Assert.Superset(new HashSet<string> { "192x192", "512x512" }, sizes);

        // The shell a service worker keeps is public (it holds nothing); the pages themselves still demand the token.
        foreach (var shell in new[] { "/sw.js", "/offline.html" }) Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(shell)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/kontasks")).StatusCode);
        Assert.Matches(ManifestLink, await http.GetStringAsync("/signin"));
        http.DefaultRequestHeaders.Authorization = new("Bearer", "installable-secret");
        foreach (var page in new[] { "/", "/kontasks", "/sessions", "/telemetry", "/logs", "/reports" })
        {
            Assert.Matches(ManifestLink, await http.GetStringAsync(page));
        }
    }

    [Fact]
    public async Task The_service_worker_keeps_only_the_shell_and_shows_Konui_is_not_reachable_when_it_is_down()
    {
        await using var app = await KonuiProcess.StartAsync();
        using var browser = await Task.Run(() => Browser.Start());
        await browser.OpenAsync(app.BaseUrl + "/");
        var scope = await Browser.WaitForAsync(() => browser.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            navigator.serviceWorker.ready.then(r => done(r.active ? r.scope : null), () => done(null));
            """) as string, TimeSpan.FromSeconds(20), "the service worker to be active");
        Assert.Equal(app.BaseUrl + "/", scope);

        // A page opened now is controlled by the worker, and still comes from the server, live.
        await browser.OpenAsync(app.BaseUrl + "/kontasks");
        Assert.True(browser.Run("return navigator.serviceWorker.controller !== null;") is true, "the page is controlled by Konui's service worker");
        var cached = browser.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            caches.keys().then(async keys => {
              const urls = [];
              for (const key of keys) for (const request of await (await caches.open(key)).keys()) urls.push(new URL(request.url).pathname);
              done(urls.sort().join(' '));
            });
            """) as string;
        Assert.Equal("/favicon.svg /icons/konui-192.png /icons/konui-512.png /manifest.webmanifest /offline.html", cached);

        await app.StopAsync();
        browser.Driver.Navigate().GoToUrl(app.BaseUrl + "/sessions");
        var heading = await Browser.WaitForAsync(() => browser.FindOrNull("h1")?.Text, TimeSpan.FromSeconds(20), "the offline page");
        Assert.Equal("Konui is not reachable", heading);
        Assert.Equal(app.BaseUrl + "/sessions", browser.Driver.Url);

        await app.StartAgainAsync();
        browser.FindOrNull("[data-konui-offline-retry]")!.Click();
        await Browser.WaitForAsync(() => browser.FindOrNull(".sessions-head h1")?.Text == "Sessions" ? "back" : null, TimeSpan.FromSeconds(20), "the Sessions page back from the server");
        Assert.EndsWith("· Konui", browser.Title, StringComparison.Ordinal);
    }
}
