using Bunit;
using Konui.Blazor.Components.Layout;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;

namespace Konui.Blazor.Tests.Layout;

/// <summary>
/// The menu button opens and closes the navigation drawer, also when it is tapped before the browser has said how wide
/// the screen is (a phone's drawer is hidden until then, and closes itself once the width is known).
/// </summary>
public sealed class NavigationMenuTests : KonuiComponentTest
{
    private const string BrowserWidth = "mudResizeListener.getBrowserWindowSize";

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(parameters => parameters.Add(layout => layout.Body, (RenderFragment)(body => body.AddContent(0, "the page"))));

    private static IReadOnlyCollection<string> Drawer(IRenderedComponent<MainLayout> layout) => [.. layout.Find(".konui-drawer").ClassList];

    [Fact]
    public void A_tap_on_the_menu_before_the_width_is_known_opens_the_drawer_on_a_phone()
    {
        var width = JSInterop.Setup<BrowserWindowSize>(BrowserWidth, _ => true);
        var layout = RenderLayout();

        layout.Find(".konui-menu").Click();
        width.SetResult(new BrowserWindowSize { Width = 390, Height = 844 });

        // Shown: open, and no longer in its first state, which a phone's screen hides.
        layout.WaitForAssertion(() =>
        {
            Assert.Contains("mud-drawer--open", Drawer(layout));
            Assert.DoesNotContain("mud-drawer--initial", Drawer(layout));
        });

        layout.Find(".konui-menu").Click();

        layout.WaitForAssertion(() => Assert.Contains("mud-drawer--closed", Drawer(layout)));
    }

    [Fact]
    public void A_tap_on_the_menu_before_the_width_is_known_closes_the_drawer_beside_the_page_on_a_desktop()
    {
        var width = JSInterop.Setup<BrowserWindowSize>(BrowserWidth, _ => true);
        var layout = RenderLayout();
        Assert.Contains("mud-drawer--open", Drawer(layout));

        layout.Find(".konui-menu").Click();
        width.SetResult(new BrowserWindowSize { Width = 1280, Height = 900 });

        layout.WaitForAssertion(() => Assert.Contains("mud-drawer--closed", Drawer(layout)));
    }
}
