using Bunit;
using Konui.Blazor.Components.Pages.Reports;

namespace Konui.Blazor.Tests.Reports;

public sealed class ReportsPageTests : KonuiComponentTest
{
    [Fact]
    public void A_quiet_day_says_what_a_report_will_hold()
    {
        var page = Render<ReportsPage>();

        page.WaitForAssertion(() => Assert.Contains("Nothing happened in this day", page.Find(".reports-empty").TextContent, StringComparison.Ordinal));
        Assert.Equal("Monday 2026-11-02", page.Find(".reports-title").TextContent);
    }

    [Fact]
    public void A_day_with_turns_and_kontasks_is_summed_up_with_its_downloads()
    {
        Konsole.AllTurns.AddRange([
            EndedTurn.At(Now.AddHours(-2), 3000, 0.02),
            EndedTurn.At(Now.AddHours(-1), 9000, 0.05, ok: false),
            EndedTurn.At(Now.AddDays(-3), 1000, 0.01),
        ]);
        Add("k1", "Build report", Now.AddHours(-1), k => { k.Scope = "web"; k.Status = "ready"; k.Tags = ["ci"]; });

        var page = Render<ReportsPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".konui-stat").Count));
        Assert.Contains("50 % succeeded", page.FindAll(".konui-stat")[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("$0.0700", page.FindAll(".konui-stat")[1].TextContent, StringComparison.Ordinal);
        Assert.Equal(["web1"], page.FindAll(".reports-breakdowns section")[0].QuerySelectorAll("li").Select(l => l.TextContent));
        Assert.Equal(2, page.FindAll(".reports-slowest li").Count);
        Assert.StartsWith("9.0 s", page.FindAll(".reports-slowest li")[0].TextContent, StringComparison.Ordinal);
        var downloads = page.FindAll("a[download]").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["api/reports?period=day&date=2026-11-02&tz=Europe%2FBerlin&format=md", "api/reports?period=day&date=2026-11-02&tz=Europe%2FBerlin&format=csv"], downloads);
    }

    [Fact]
    public void The_weekly_report_covers_monday_to_sunday()
    {
        Konsole.AllTurns.Add(EndedTurn.At(Now.AddDays(-3), 1000, 0.01));

        Navigation.NavigateTo("reports?period=week&date=2026-10-30");
        var page = Render<ReportsPage>();

        page.WaitForAssertion(() => Assert.Equal("Week of 2026-10-26", page.Find(".reports-title").TextContent));
        Assert.Contains("Turns1", page.FindAll(".konui-stat")[0].TextContent, StringComparison.Ordinal);
    }
}
