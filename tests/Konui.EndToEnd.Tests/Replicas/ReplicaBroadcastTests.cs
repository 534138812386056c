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

    private IReadOnlyList<string> Banners() =>
        Browser.Driver.FindElements(OpenQA.Selenium.By.CssSelector(".broadcast .broadcast-message")).Select(b => b.Text).ToList();
}
