using Bunit;
using Konui.Blazor.Components.Pages.Kontasks;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Tests.Kontasks;

public sealed class KontaskListTests : KonuiComponentTest
{
    public KontaskListTests()
    {
        Add("k1", "Fix build", Now.AddHours(-3), k =>
        {
            k.Description = "tsc fails in src/api.ts";
            k.Status = "pending";
            k.Type = "bug";
            k.Scope = "web";
            k.Tags = ["ci", "typescript"];
            k.Context = new KontaskContext { TurnTiming = new TurnTiming { TotalMs = 12345, ToolCallCount = 4 } };
        });
        Add("k2", "Deploy plan", Now.AddHours(-2), k => { k.Status = "completed"; k.Type = "plan"; k.Scope = "ops"; k.Description = "after the build is green"; });
        Add("k3", "Refactor store", Now.AddMinutes(-5), k => { k.Status = "pending"; k.Type = "plan"; k.Scope = "web"; k.Tags = ["build-system"]; });
    }

    private IRenderedComponent<KontaskList> At(string query)
    {
        Navigation.NavigateTo("kontasks?" + query);
        return Render<KontaskList>();
    }

    private static IEnumerable<string> Titles(IRenderedComponent<KontaskList> list) =>
        list.FindAll(".kontask-row-title").Select(e => e.TextContent);

    [Fact]
    public void Rows_show_newest_first_with_description_status_tags_time_and_timing()
    {
        var list = Render<KontaskList>();

        Assert.Equal(["Refactor store", "Deploy plan", "Fix build"], Titles(list));
        var row = list.Find("[data-kontask-id=k1]");
        Assert.Equal("kontasks/k1", row.QuerySelector("a.kontask-row-title")!.GetAttribute("href"));
        Assert.Equal("tsc fails in src/api.ts", row.QuerySelector(".kontask-row-desc")!.TextContent);
        Assert.Equal("pending", row.QuerySelector(".konui-status")!.TextContent);
        Assert.Equal(["ci", "typescript"], row.QuerySelectorAll(".konui-tag").Select(t => t.TextContent));
        Assert.Equal("3 h ago", row.QuerySelector("time")!.TextContent);
        Assert.Equal("2026-11-02 10:00", row.QuerySelector("time")!.GetAttribute("title"));
        Assert.Equal("12 s · 4 tools", row.QuerySelector(".kontask-row-timing")!.TextContent);
        Assert.Equal("3 kontasks", list.Find(".kontasks-count").TextContent);
    }

    [Fact]
    public void Search_matches_title_description_and_tags()
    {
        Assert.Equal(["Refactor store", "Deploy plan", "Fix build"], Titles(At("q=build")));
        Assert.Equal(["Fix build"], Titles(At("q=API.TS")));
        Assert.Equal(["Refactor store"], Titles(At("q=system")));
    }

    [Fact]
    public void Filters_narrow_by_status_type_scope_and_tag_and_offer_the_values_that_exist()
    {
        Assert.Equal(["Refactor store", "Fix build"], Titles(At("status=pending")));
        Assert.Equal(["Refactor store", "Deploy plan"], Titles(At("type=plan")));
        Assert.Equal(["Refactor store"], Titles(At("type=plan&scope=web")));
        var byTag = At("tag=ci");
        Assert.Equal(["Fix build"], Titles(byTag));
        Assert.Equal("1 of 3", byTag.Find(".kontasks-count").TextContent);

        var statusOptions = byTag.Find("select[aria-label=Status]").QuerySelectorAll("option").Select(o => o.TextContent);
        Assert.Equal(["All statuses", "completed", "pending"], statusOptions);
        Assert.Equal(["All tags", "build-system", "ci", "typescript"], byTag.Find("select[aria-label=Tag]").QuerySelectorAll("option").Select(o => o.TextContent));
    }

    [Fact]
    public void Typing_a_search_and_picking_a_filter_put_them_in_the_address()
    {
        var list = Render<KontaskList>();

        list.Find("input[type=search]").Input("build");
        Assert.EndsWith("/kontasks?q=build", Navigation.Uri, StringComparison.Ordinal);

        list.Find("select[aria-label=Status]").Change("pending");
        Assert.Equal(["Refactor store", "Fix build"], Titles(list));
        Assert.EndsWith("/kontasks?q=build&status=pending", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kontask_created_while_the_page_is_open_appears_at_the_top_highlighted()
    {
        var list = Render<KontaskList>();

        Add("k4", "Just arrived", Now, k => k.Status = "ready");

        list.WaitForAssertion(() => Assert.Equal("Just arrived", Titles(list).First()), TimeSpan.FromSeconds(5));
        Assert.Contains("is-new", list.Find("[data-kontask-id=k4]").ClassList);
        Assert.Equal("4 kontasks", list.Find(".kontasks-count").TextContent);
    }

    [Fact]
    public void An_updated_kontask_changes_in_place()
    {
        var list = Render<KontaskList>();

        Add("k1", "Fix build (done)", Now.AddHours(-3), k => k.Status = "completed");

        list.WaitForAssertion(() => Assert.Equal("completed", list.Find("[data-kontask-id=k1] .konui-status").TextContent), TimeSpan.FromSeconds(5));
        Assert.Equal(["Refactor store", "Deploy plan", "Fix build (done)"], Titles(list));
    }

    [Fact]
    public void Many_kontasks_are_paged_fifty_at_a_time()
    {
        for (var i = 0; i < 120; i++) Add($"bulk{i}", $"Bulk {i}", Now.AddDays(-10).AddMinutes(i));

        var first = Render<KontaskList>();
        Assert.Equal(50, first.FindAll(".kontask-row").Count);
        Assert.Contains("Page 1 of 3", first.Find(".kontasks-pager").TextContent, StringComparison.Ordinal);

        var last = At("page=3");
        Assert.Equal(23, last.FindAll(".kontask-row").Count);
        Assert.Equal("Bulk 0", Titles(last).Last());
    }

    [Fact]
    public void An_empty_store_says_where_kontasks_come_from()
    {
        using var empty = new EmptyList();
        Assert.Contains("konui_create_task", empty.Render<KontaskList>().Find(".konui-empty").TextContent, StringComparison.Ordinal);
    }

    private sealed class EmptyList : KonuiComponentTest;
}
