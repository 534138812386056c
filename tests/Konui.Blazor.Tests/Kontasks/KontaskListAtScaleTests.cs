using System.Diagnostics;
using Bunit;
using Konui.Blazor.Components.Pages.Kontasks;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Tests.Kontasks;

/// <summary>The Kontasks page over 100,000 kontasks: it draws one page of 50, pages, searches and follows arrivals promptly.</summary>
public sealed class KontaskListAtScaleTests : KonuiComponentTest
{
    private const int Kontasks = 100_000;

    /// <summary>Generous bounds for a shared 2-core machine; the page takes a few milliseconds when it is quiet.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    public KontaskListAtScaleTests()
    {
        // Another process's appends, as the store tails them: 100,000 lines written at once, then indexed.
        var statuses = new[] { "pending", "completed", "failed" };
        using (var file = new FileStream(Store.FilePath, FileMode.Append, FileAccess.Write))
        {
            for (var i = 0; i < Kontasks; i++)
            {
                var at = Now.AddDays(-100).AddSeconds(i * 60);
                file.Write(KontaskJson.SerializeLine(new Kontask
                {
                    Id = $"kt_bulk{i:D6}",
                    Title = $"Bulk kontask {i}",
                    Description = i % 1000 == 0 ? "a needle in the haystack" : "one of many",
                    Status = statuses[i % 3],
                    Tags = [$"batch{i % 10}"],
                    CreatedAt = at,
                    UpdatedAt = at,
                }));
                file.WriteByte((byte)'\n');
            }
        }
        Store.CatchUp();
        Assert.Equal(Kontasks, Store.Count);
    }

    private static List<string> Titles(IRenderedComponent<KontaskList> list) => list.FindAll(".kontask-row-title").Select(e => e.TextContent).ToList();

    [Fact]
    public void The_page_draws_fifty_rows_of_a_hundred_thousand_and_pages_through_them()
    {
        var clock = Stopwatch.StartNew();
        var list = Render<KontaskList>();
        var firstRender = clock.Elapsed;

        Assert.Equal(50, list.FindAll(".kontask-row").Count);
        Assert.Equal("Bulk kontask 99999", Titles(list)[0]);
        Assert.Equal("100,000 kontasks", list.Find(".kontasks-count").TextContent);
        Assert.Contains("Page 1 of 2000", list.Find(".kontasks-pager").TextContent, StringComparison.Ordinal);
        Assert.True(list.Markup.Length < 150_000, $"The page is {list.Markup.Length:N0} characters: more than one page of rows is drawn.");
        Assert.True(firstRender < Prompt, $"The first render took {firstRender.TotalMilliseconds:N0} ms.");

        clock.Restart();
        Navigation.NavigateTo("kontasks?page=2000");
        list.WaitForAssertion(() => Assert.Equal("Bulk kontask 0", Titles(list)[^1]), Prompt);
        Assert.Equal(50, list.FindAll(".kontask-row").Count);
        Assert.True(clock.Elapsed < Prompt, $"The last page took {clock.Elapsed.TotalMilliseconds:N0} ms.");
    }

    [Fact]
    public void A_search_and_a_filter_over_a_hundred_thousand_answer_promptly()
    {
        var list = Render<KontaskList>();

        var clock = Stopwatch.StartNew();
        list.Find(".kontasks-search input").Input("needle");
        list.WaitForAssertion(() => Assert.Equal("100 of 100,000", list.Find(".kontasks-count").TextContent), Prompt);
        Assert.True(clock.Elapsed < Prompt, $"The search took {clock.Elapsed.TotalMilliseconds:N0} ms.");
        Assert.Equal(50, list.FindAll(".kontask-row").Count);
        Assert.Equal("Bulk kontask 99000", Titles(list)[0]);

        clock.Restart();
        list.Find("select[aria-label=Status]").Change("failed");
        list.WaitForAssertion(() => Assert.Equal("33 of 100,000", list.Find(".kontasks-count").TextContent), Prompt);
        Assert.True(clock.Elapsed < Prompt, $"The filter took {clock.Elapsed.TotalMilliseconds:N0} ms.");
        Assert.All(list.FindAll(".kontask-row .konui-status"), status => Assert.Equal("failed", status.TextContent));
    }

    [Fact]
    public void A_kontask_arriving_on_top_of_a_hundred_thousand_shows_at_once()
    {
        var list = Render<KontaskList>();

        var clock = Stopwatch.StartNew();
        Add("kt_arrived", "Just arrived", Now, k => k.Status = "ready");

        list.WaitForAssertion(() => Assert.Equal("Just arrived", Titles(list)[0]), Prompt);
        Assert.True(clock.Elapsed < Prompt, $"The new kontask took {clock.Elapsed.TotalMilliseconds:N0} ms to show.");
        Assert.Equal("100,001 kontasks", list.Find(".kontasks-count").TextContent);
        Assert.Equal(50, list.FindAll(".kontask-row").Count);
    }
}
