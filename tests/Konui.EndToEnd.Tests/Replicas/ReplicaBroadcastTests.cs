using System.Net;
using System.Net.Http.Json;
using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Replicas;

/// <summary>Broadcasts and sign-in across replicas.</summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaBroadcastTests(ReplicasFixture replicas)
{
    private static readonly TimeSpan ShowLimit = TimeSpan.FromSeconds(5);

    private Browser Browser => replicas.Browser;

    [Fact]
    public async Task A_broadcast_made_on_A_shows_on_Bs_open_tab_once_without_a_reload()
    {
        await replicas.SignInAsync(replicas.B);
        var page = new DashboardPage(Browser, replicas.B.Konui.BaseUrl);
        await page.OpenNewSessionAsync();
        page.MarkDocument();
        var message = "Deploy on A at 5 " + Guid.NewGuid().ToString("N")[..6];

        using var http = ReplicasFixture.Api(replicas.A);
        using (var sent = await http.PostAsJsonAsync("/api/admin/broadcast", new { message, level = "warning" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        await Browser.WaitForAsync(() => Banners().Any(b => b == message) ? "shown" : null, ShowLimit, $"the banner \"{message}\" on B");
        Assert.True(page.IsSameDocument(), "B's tab was reloaded to show the broadcast.");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(Banners(), b => b == message);
    }

    [Fact]
    public async Task Bs_sign_in_cookie_works_on_A()
    {
        Browser.Driver.Manage().Cookies.DeleteAllCookies();
        Browser.Driver.Navigate().GoToUrl(replicas.A.Konui.BaseUrl + "/");
        Assert.Equal("/signin", new Uri(Browser.Driver.Url).AbsolutePath);

        await replicas.SignInAsync(replicas.B);
        var cookie = Browser.Driver.Manage().Cookies.GetCookieNamed("konui_auth");
        Assert.NotNull(cookie);

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(replicas.A.Konui.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/kontasks");
        request.Headers.Add("Cookie", $"konui_auth={cookie.Value}");
        using var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        var page = new DashboardPage(Browser, replicas.A.Konui.BaseUrl);
        await page.OpenNewSessionAsync();
        await Browser.WaitForAsync(() => page.Connection == "connected" ? "connected" : null, Browser.PageTimeout, "A's hub with B's cookie");
    }

    [Fact]
    public async Task Both_replicas_protect_with_the_one_data_protection_key_ring_kept_in_Redis()
    {
        using (var a = ReplicasFixture.Api(replicas.A)) (await a.GetAsync("/kontasks")).EnsureSuccessStatusCode();
        using (var b = ReplicasFixture.Api(replicas.B)) (await b.GetAsync("/kontasks")).EnsureSuccessStatusCode();

        var shared = await replicas.Redis.CommandAsync("LRANGE", "konui:data-protection-keys", "0", "-1");
        var keyId = Assert.Single(System.Text.RegularExpressions.Regex.Matches(shared, "<key id=\"([0-9a-f-]+)\"")).Groups[1].Value;
        foreach (var replica in new[] { replicas.A, replicas.B })
        {
            var copy = await File.ReadAllTextAsync(Path.Combine(replica.Konui.DataDir, "data-protection-keys.xml"));
            Assert.Equal([keyId], System.Text.RegularExpressions.Regex.Matches(copy, "<key id=\"([0-9a-f-]+)\"").Select(m => m.Groups[1].Value));
        }
    }

    private IReadOnlyList<string> Banners() =>
        Browser.Driver.FindElements(OpenQA.Selenium.By.CssSelector(".broadcast .broadcast-message")).Select(b => b.Text).ToList();
}
