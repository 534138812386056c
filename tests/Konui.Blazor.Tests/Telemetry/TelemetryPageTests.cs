using Bunit;
using Konui.Blazor.Components.Pages.Telemetry;
using Konui.Core.Konsole;

namespace Konui.Blazor.Tests.Telemetry;

public sealed class TelemetryPageTests : KonuiComponentTest
{
    [Fact]
    public void Without_turns_it_says_what_will_appear_and_how()
    {
        var page = Render<TelemetryPage>();

        page.WaitForAssertion(() => Assert.Contains("No finished turns in this range yet", page.Find(".telemetry-empty").TextContent, StringComparison.Ordinal));
        Assert.Contains("Dashboard", page.Find(".telemetry-empty").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".mud-chart"));
    }

    [Fact]
    public void With_turns_it_shows_the_cards_and_every_chart()
    {
        Konsole.AllTurns.AddRange([
            EndedTurn.At(Now.AddDays(-1), 2000, 0.01, tools: new Dictionary<string, int> { ["Bash"] = 2, ["mcp__konui__konui_create_task"] = 1 }),
            EndedTurn.At(Now.AddDays(-1).AddHours(1), 4000, 0.03, ok: false),
            EndedTurn.At(Now.AddDays(-20), 9000, 0.50),
        ]);

        var page = Render<TelemetryPage>();

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".konui-stat").Count));
        var cards = page.FindAll(".konui-stat").Select(c => c.TextContent).ToList();
        Assert.Contains(cards, c => c.Contains("Turns2", StringComparison.Ordinal) && c.Contains("50% succeeded", StringComparison.Ordinal));
        Assert.Contains(cards, c => c.Contains("$0.04", StringComparison.Ordinal));
        Assert.Contains(cards, c => c.Contains("p50 3.0 s", StringComparison.Ordinal));
        Assert.Equal(["chart-duration", "chart-tokens", "chart-cost", "chart-tools", "chart-shares"], page.FindAll("section.chart h2").Select(h => h.Id));
        Assert.Equal(5, page.FindAll("section.chart").Count(chart => chart.QuerySelector(".mud-chart svg") is not null));
    }

    [Fact]
    public void The_range_and_the_session_come_from_the_address()
    {
        Konsole.AllTurns.AddRange([EndedTurn.At(Now.AddDays(-1), 2000, 0.01, session: "a"), EndedTurn.At(Now.AddDays(-20), 9000, 0.50, session: "b")]);
        Konsole.Sessions.Add(new SessionSummary("b", "the old one", 1, Now.AddDays(-20), Now.AddDays(-20), null, 0.5, 0, 0));

        Navigation.NavigateTo("telemetry?range=30d&session=b");
        var page = Render<TelemetryPage>();

        page.WaitForAssertion(() => Assert.Contains("Turns1", page.FindAll(".konui-stat")[0].TextContent, StringComparison.Ordinal));
        Assert.Contains("$0.50", page.FindAll(".konui-stat")[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("b", page.Find("select[aria-label=Session]").GetAttribute("value"));

        page.Find("select[aria-label='Date range']").Change("1d");
        Assert.EndsWith("telemetry?range=1d&session=b", Navigation.Uri, StringComparison.Ordinal);
    }
}
