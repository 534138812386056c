using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests;

/// <summary>On a phone the navigation is a drawer behind the menu button, every page in reach; on a desktop it stays open.</summary>
public sealed class NavigationDrawerTests : IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private static readonly string[] Pages = ["Dashboard", "Kontasks", "Sessions", "Telemetry", "Logs", "Reports", "Settings"];
    private KonuiProcess _app = null!;
    private Browser _phone = null!;
    private Browser _desktop = null!;

    public async Task InitializeAsync()
    {
        var starting = KonuiProcess.StartAsync();
        _phone = await Task.Run(Browser.StartPhone);
        _desktop = await Task.Run(() => Browser.Start());
        _app = await starting;
    }

    public async Task DisposeAsync()
    {
        _phone?.Dispose();
        _desktop?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }

    [Fact]
    public async Task On_a_phone_the_menu_opens_a_drawer_with_every_page_and_choosing_one_goes_there()
    {
        await _phone.OpenAsync(_app.BaseUrl + "/kontasks");
        Assert.Empty(VisibleLinks(_phone));
        Assert.True(_phone.Run<long>("return document.documentElement.scrollWidth;") <= Browser.PhoneWidth, "The page scrolls sideways on a phone.");

        _phone.Driver.FindElement(By.CssSelector(".konui-menu")).Click();

        // Slid all the way in before the screenshot and the tap: while it slides, its links move under the pointer.
        var links = await Browser.WaitForAsync(() => VisibleLinks(_phone) is { Count: 7 } shown && DrawerLeft(_phone) == 0 ? shown : null, WaitLimit,
            "the drawer's seven pages, slid all the way in");
        Assert.Equal(Pages, links);
        _phone.SaveScreenshot(Path.Combine(RepoRoot.Find(), "docs", "pages", "navigation-phone.png"));
        _phone.Driver.FindElements(By.CssSelector(".konui-drawer a.mud-nav-link")).Single(a => a.Text == "Sessions").Click();

        await Browser.WaitForAsync(() => _phone.Driver.Url.EndsWith("/sessions", StringComparison.Ordinal) ? "sessions" : null, WaitLimit, "the Sessions page");
        await Browser.WaitForAsync(() => VisibleLinks(_phone).Count == 0 ? "closed" : null, WaitLimit, "the drawer to close");
    }

    [Fact]
    public async Task On_a_desktop_the_drawer_stays_open_beside_the_page_and_marks_where_you_are()
    {
        await _desktop.OpenAsync(_app.BaseUrl + "/telemetry");

        Assert.Equal(Pages, VisibleLinks(_desktop));
        Assert.Equal("Telemetry", _desktop.Driver.FindElement(By.CssSelector(".konui-drawer a.mud-nav-link.active")).Text);
        var drawerRight = _desktop.Run<long>("return Math.round(document.querySelector('.konui-drawer').getBoundingClientRect().right);");
        var mainLeft = _desktop.Run<long>("return Math.round(document.querySelector('main').getBoundingClientRect().left);");
        Assert.True(mainLeft >= drawerRight, $"The page ({mainLeft} px) starts under the drawer ({drawerRight} px).");
    }

    /// <summary>Where the drawer's left edge is, in whole pixels: 0 once it has slid all the way in.</summary>
    private static long DrawerLeft(Browser browser) => browser.Run<long>("return Math.round(document.querySelector('.konui-drawer').getBoundingClientRect().left);");

    /// <summary>The navigation links a reader can see: inside the viewport and not hidden.</summary>
    private static List<string> VisibleLinks(Browser browser) => browser.Run<IReadOnlyCollection<object>>("""
        return [...document.querySelectorAll('.konui-drawer a.mud-nav-link')].filter(a => {
          const r = a.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.right > 0 && r.left < window.innerWidth && getComputedStyle(a).visibility !== 'hidden';
        }).map(a => a.textContent.trim());
        """).Select(o => (string)o).ToList();
}
