using System.Text.Json.Nodes;
using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests;

/// <summary>
/// Every page of Konui, holding data made by real Claude Code turns (a kontask, a thinking answer, a failed turn):
/// each renders its content with no error in the browser console, and its screenshot goes into docs/pages/.
/// </summary>
public sealed class EveryPageTests
{
    private const string ErrorProbe = """
        window.__konuiErrors = [];
        const original = console.error;
        console.error = (...args) => { window.__konuiErrors.push(args.map(String).join(' ')); original.apply(console, args); };
        window.addEventListener('error', e => window.__konuiErrors.push('error: ' + e.message));
        window.addEventListener('unhandledrejection', e => window.__konuiErrors.push('rejection: ' + e.reason));
        """;

    private static readonly string Shots = Path.Combine(RepoRoot.Find(), "docs", "pages");

    [Fact]
    public async Task Every_page_shows_real_turns_without_console_errors_and_is_photographed()
    {
        await using var rig = await KonuiWithClaude.StartAsync();
        rig.Model.SetScript(request => request.LastUserText switch
        {
            var text when text.Contains("audit", StringComparison.Ordinal) && !request.HasToolResult => ModelReply.ToolUse("mcp__konui__konui_create_task", new JsonObject
            {
                ["title"] = "Dependency audit",
                ["description"] = "3 packages are outdated; one has a known advisory.",
                ["scope"] = "konui",
                ["tags"] = new JsonArray("deps", "security"),
                ["requestId"] = KonuiWithClaude.RequestIdIn(request),
                ["context"] = new JsonObject
                {
                    ["output"] = "<h3>Outdated packages</h3><table><tr><th>Package</th><th>Now</th><th>Latest</th></tr><tr><td>markdig</td><td>0.31</td><td>1.6</td></tr></table>",
                    ["choices"] = new JsonArray(new JsonObject { ["label"] = "Update all", ["value"] = "Update the outdated packages", ["primary"] = true }),
                },
            }, leadingText: "I'll summarize the audit in a card."),
            _ when request.HasToolResult => ModelReply.Text("The audit card is on your dashboard."),
            var text when text.Contains("Think", StringComparison.Ordinal) => ModelReply.Thinking("Weighing the options first.", "**Use a queue**: it keeps writers apart."),
            _ => ModelReply.ServerError("the model is unavailable"),
        });
        var (audit, _) = await rig.RunAsync("Please audit the dependencies");
        await rig.RunAsync("Think about concurrency, then answer", audit.SessionId);
        await rig.RunAsync("This one fails", audit.SessionId);
        var kontaskId = File.ReadAllLines(rig.Konui.KontasksFile).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).Distinct().Single();

        using var browser = await Task.Run(() => Browser.Start());
        browser.Driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = ErrorProbe });
        var pages = new (string Path, string Shot, string Shows)[]
        {
            ($"/?session={audit.SessionId}", "dashboard.png", ".turn-result.failed"),
            ("/kontasks", "kontasks.png", ".kontask-row"),
            ($"/kontasks/{kontaskId}", "kontask.png", ".kontask-request"),
            ("/sessions", "sessions.png", $".session-row[data-session-id='{audit.SessionId}']"),
            ($"/sessions/{audit.SessionId}", "session.png", ".session-turns li"),
            ("/telemetry", "telemetry.png", ".mud-chart svg"),
            ("/reports", "reports.png", ".reports-slowest li"),
            ("/logs", "logs.png", ".log-line"),
            ("/settings", "settings.png", ".settings-add"),
        };
        foreach (var (path, shot, shows) in pages)
        {
            await browser.OpenAsync(rig.Konui.BaseUrl + path);
            await Browser.WaitForAsync(() => browser.FindOrNull(shows), TimeSpan.FromSeconds(15), $"{shows} on {path}");
            await Task.Delay(500);
            Assert.EndsWith("· Konui", browser.Title, StringComparison.Ordinal);
            var errors = browser.Run<IReadOnlyCollection<object>>("return window.__konuiErrors;");
            Assert.True(errors.Count == 0, $"{path} logged console errors: {string.Join(" | ", errors)}");
            browser.SaveScreenshot(Path.Combine(Shots, shot));
        }

        var dashboard = pages[0];
        await browser.OpenAsync(rig.Konui.BaseUrl + dashboard.Path);
        await Browser.WaitForAsync(() => browser.FindOrNull(dashboard.Shows), TimeSpan.FromSeconds(15), $"{dashboard.Shows} on {dashboard.Path}");
        var turns = browser.Driver.FindElements(By.CssSelector("article.turn"));
        Assert.Equal(3, turns.Count);
        Assert.NotNull(turns[0].FindElement(By.CssSelector(".kontask-card[data-kontask-id='" + kontaskId + "']")));
        Assert.Equal("Use a queue: it keeps writers apart.", turns[1].FindElement(By.CssSelector(".assistant-text")).Text);
        Assert.Contains("API Error: 500", turns[2].FindElement(By.CssSelector(".assistant-text.api-error")).Text, StringComparison.Ordinal);
        Assert.StartsWith("✗ Failed", turns[2].FindElement(By.CssSelector(".turn-result.failed")).Text, StringComparison.Ordinal);
    }
}
