using Bunit;
using Konui.Blazor.Components.Layout;
using Microsoft.AspNetCore.Components;
using MudBlazor;
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

    [Fact]
    public async Task A_drawer_closed_on_a_wide_screen_opens_with_a_tap_once_the_window_is_narrow()
    {
        JSInterop.Setup<BrowserWindowSize>(BrowserWidth, _ => true).SetResult(new BrowserWindowSize { Width = 1280, Height = 900 });
        var layout = RenderLayout();
        layout.Find(".konui-menu").Click();
        layout.WaitForAssertion(() => Assert.Contains("mud-drawer--closed", Drawer(layout)));

        // The window is made narrow: the browser calls MudBlazor's viewport service back, as its resize script does.
        var listening = JSInterop.Invocations["mudResizeListenerFactory.listenForResize"].Single().Arguments;
        var viewport = listening[0]!.GetType().GetProperty("Value")!.GetValue(listening[0])!;
        var resized = viewport.GetType().GetMethod("RaiseOnResized")!;
        await layout.InvokeAsync(() => (Task)resized.Invoke(viewport, [new BrowserWindowSize { Width = 390, Height = 844 }, Breakpoint.Xs, listening[2]])!);
        layout.Find(".konui-menu").Click();

        layout.WaitForAssertion(() =>
        {
            Assert.Contains("mud-drawer--open", Drawer(layout));
            Assert.DoesNotContain("mud-drawer--initial", Drawer(layout));
        });
    }
}
