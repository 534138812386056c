using System.Net;
using System.Net.Http.Json;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>An admin broadcast shows as a banner on every open dashboard at once; dismissing it hides it in that tab only.</summary>
[Collection(DashboardCollection.Name)]
public sealed class BroadcastTests
{
    private static readonly TimeSpan ShowLimit = TimeSpan.FromSeconds(5);
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public BroadcastTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task A_broadcast_shows_in_two_open_tabs_without_a_reload_and_dismissing_it_hides_it_in_that_tab_only()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_konui.BaseUrl) };
        await _page.OpenNewSessionAsync();
        var tabA = _konui.Browser.Driver.CurrentWindowHandle;
        _page.MarkDocument();
        var tabB = await _konui.Browser.OpenTabAsync(_konui.BaseUrl + "/?new=true");
        await _page.WaitForLiveAsync();
        _page.MarkDocument();
        var deploy = "Deploy at 5 " + Guid.NewGuid().ToString("N")[..6];

        using (var sent = await http.PostAsJsonAsync("/api/admin/broadcast", new { message = deploy, level = "warning" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        foreach (var tab in new[] { tabA, tabB })
        {
            _konui.Browser.SwitchToTab(tab);
            Assert.Equal("warning", await WaitForBannerAsync(deploy));
            Assert.True(_page.IsSameDocument(), "The tab was reloaded to show the broadcast.");
        }
        _konui.Browser.SwitchToTab(tabA);
        _konui.Browser.Run("""
            [...document.querySelectorAll('.broadcast')].find(b => b.querySelector('.broadcast-message').textContent === arguments[0])
              .querySelector('.broadcast-dismiss').click();
            """, deploy);
        await Browser.WaitForAsync(() => Banners().Any(b => b.Message == deploy) ? null : "gone", ShowLimit, "the dismissed banner to go");

        // A bad broadcast is refused and shows nothing; a good one after it arrives, so anything the first made would be here too.
        using (var empty = await http.PostAsJsonAsync("/api/admin/broadcast", new { message = "", level = "warning" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("message is required", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var later = "Deploy done " + Guid.NewGuid().ToString("N")[..6];
        using (var sent = await http.PostAsJsonAsync("/api/admin/broadcast", new { message = later, level = "info" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }
        Assert.Equal("info", await WaitForBannerAsync(later));
        Assert.Equal([later], Banners().Select(b => b.Message));
        _konui.Browser.SwitchToTab(tabB);
        Assert.Equal("info", await WaitForBannerAsync(later));
        Assert.Equal([deploy, later], Banners().Select(b => b.Message));
        Assert.True(_page.IsSameDocument(), "Tab B was reloaded.");
    }

    private Task<string> WaitForBannerAsync(string message) =>
        Browser.WaitForAsync(() => Banners().Where(b => b.Message == message).Select(b => b.Level).FirstOrDefault(), ShowLimit, $"the banner \"{message}\"");

    private IReadOnlyList<(string Message, string Level)> Banners() =>
        _konui.Browser.Driver.FindElements(OpenQA.Selenium.By.CssSelector(".broadcast"))
            .Select(b => (b.FindElement(OpenQA.Selenium.By.CssSelector(".broadcast-message")).Text, b.GetAttribute("data-level") ?? ""))
            .ToList();
}
