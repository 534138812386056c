using Bunit;
using Konui.Blazor.Components.Layout;
using Konui.Core.Events;
using Microsoft.AspNetCore.Components;

namespace Konui.Blazor.Tests.Layout;

/// <summary>An administrator's broadcast on every open page, until the reader dismisses it.</summary>
public sealed class BroadcastBannerTests : KonuiComponentTest
{
    public BroadcastBannerTests() => SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    private static List<string> Shown(IRenderedComponent<BroadcastBanner> banner) =>
        banner.FindAll(".broadcast").Select(b => $"{b.GetAttribute("data-level")}: {b.QuerySelector(".broadcast-message")!.TextContent}").ToList();

    [Fact]
    public void A_broadcast_shows_as_it_is_published_and_dismissing_it_removes_only_that_one()
    {
        var banner = Render<BroadcastBanner>();
        Assert.Empty(banner.FindAll(".broadcast"));

        Bus.Publish(new Broadcast("b1", "Konui restarts at 18:00 for an update.", BroadcastLevel.Warning, Now));
        Bus.Publish(new Broadcast("b2", "The model API is back.", BroadcastLevel.Info, Now));

        banner.WaitForAssertion(() => Assert.Equal(["warning: Konui restarts at 18:00 for an update.", "info: The model API is back."], Shown(banner)));

        banner.Find(".broadcast[data-level=warning] .broadcast-dismiss").Click();

        // MudBlazor's button runs its click handler asynchronously: the banner re-renders once it has.
        banner.WaitForAssertion(() => Assert.Equal(["info: The model API is back."], Shown(banner)));
    }
}
