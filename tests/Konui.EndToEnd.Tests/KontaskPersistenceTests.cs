using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests;

/// <summary>Kontasks live in kontasks.jsonl, so they outlive the app.</summary>
public sealed class KontaskPersistenceTests
{
    [Fact]
    public async Task A_kontask_created_over_mcp_is_still_listed_after_konui_restarts()
    {
        await using var app = await KonuiProcess.StartAsync();
        using var browser = await Task.Run(() => Browser.Start());
        var id = await KonuiMcp.CreateKontaskAsync(app, new()
        {
            ["title"] = "Migrate the settings page",
            ["description"] = "Three steps, the first one done",
            ["status"] = "in-progress",
            ["tags"] = new[] { "settings" },
        });

        await app.RestartAsync();

        await browser.OpenAsync(app.BaseUrl + KontasksPage.Path);
        var row = browser.Driver.FindElement(By.CssSelector($"[data-kontask-id='{id}']"));
        Assert.Equal("Migrate the settings page", row.FindElement(By.CssSelector(".kontask-row-title")).Text);
        Assert.Equal("Three steps, the first one done", row.FindElement(By.CssSelector(".kontask-row-desc")).Text);
        Assert.Equal("in-progress", row.FindElement(By.CssSelector(".konui-status")).Text);
        Assert.Equal("1 kontask", browser.Driver.FindElement(By.CssSelector(".kontasks-count")).Text);
    }
}
