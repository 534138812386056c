using Konui.Core.Kontasks;
using Konui.Testing;
using ModelContextProtocol.Client;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests;

/// <summary>The Kontasks list updates live, whoever writes a kontask, in every open tab.</summary>
public sealed class KontasksListLiveTests(KonuiFixture konui) : IClassFixture<KonuiFixture>
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private Browser Browser => konui.Browser;

    [Fact]
    public async Task A_kontask_created_over_mcp_shows_up_within_a_second_in_every_open_tab()
    {
        var url = konui.App.BaseUrl + KontasksPage.Path;
        await Browser.OpenAsync(url);
        var firstTab = Browser.Driver.CurrentWindowHandle;
        var secondTab = await Browser.OpenTabAsync(url);
        var title = "Review the build " + Guid.NewGuid().ToString("N")[..8];
        foreach (var tab in new[] { firstTab, secondTab })
        {
            Browser.SwitchToTab(tab);
            KontasksPage.WatchForRow(Browser, title);
            Assert.Null(KontasksPage.RowSeenAt(Browser, title));
        }
        Browser.SwitchToTab(firstTab);
        await using var client = await KonuiMcp.ConnectAsync(konui.App);
        try
        {
            await CreateAndWatchBothTabs(client, title, firstTab, secondTab);
        }
        finally
        {
            Browser.SwitchToTab(secondTab);
            Browser.Driver.Close();
            Browser.SwitchToTab(firstTab);
        }
    }

    private async Task CreateAndWatchBothTabs(McpClient client, string title, string firstTab, string secondTab)
    {
        var id = await KonuiMcp.CreateKontaskAsync(client, new()
        {
            ["title"] = title,
            ["description"] = "Two warnings left in src/api.ts",
            ["status"] = "ready",
        });
        var returnedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        foreach (var (tab, name) in new[] { (firstTab, "the first tab"), (secondTab, "the second tab") })
        {
            Browser.SwitchToTab(tab);
            Assert.Equal(id, await KontasksPage.WaitForRowAsync(Browser, title, WaitLimit));
            var latency = KontasksPage.RowSeenAt(Browser, title)!.Value - returnedAt;
            Assert.True(latency < 1000, $"The card took {latency} ms to show up in {name} after konui_create_task returned.");
            Assert.True(KontasksPage.IsSameDocument(Browser), "The page was reloaded to show the card.");
        }
    }

    [Fact]
    public async Task A_kontask_another_writer_appends_to_kontasks_jsonl_shows_up_on_the_open_page()
    {
        await Browser.OpenAsync(konui.App.BaseUrl + KontasksPage.Path);
        var id = "written-elsewhere-" + Guid.NewGuid().ToString("N")[..8];
        var title = "Nightly backup finished " + id[^8..];
        KontasksPage.WatchForRow(Browser, title);

        // The test process is the other writer: it appends a line the way any script would, with Konui's file lock.
        KontaskFile.AppendLine(konui.App.KontasksFile, KontaskJson.SerializeLine(new Kontask
        {
            Id = id,
            Title = title,
            Description = "Appended by a script, not through Konui",
            Status = "completed",
            CreatedBy = "backup-script",
            CreatedAt = DateTimeOffset.UtcNow,
        }));

        Assert.Equal(id, await KontasksPage.WaitForRowAsync(Browser, title, WaitLimit));
        Assert.True(KontasksPage.IsSameDocument(Browser), "The page was reloaded to show the card.");
        Assert.Equal("completed", Browser.Driver.FindElement(By.CssSelector($"[data-kontask-id='{id}'] .konui-status")).Text);
    }
}
