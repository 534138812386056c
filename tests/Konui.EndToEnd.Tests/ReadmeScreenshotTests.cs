using System.Buffers.Binary;
using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests;

/// <summary>
/// Takes the README's screenshots (docs/screenshot-*.png, overwritten on every run) of a Konui holding a few
/// realistic kontasks, and checks the list fits a phone's width.
/// </summary>
public sealed class ReadmeScreenshotTests
{
    private static readonly string Docs = Path.Combine(RepoRoot.Find(), "docs");

    [Fact]
    public async Task Screenshots_of_the_kontasks_list_and_a_kontask_page_show_realistic_cards()
    {
        var listShot = Path.Combine(Docs, "screenshot-kontasks.png");
        var kontaskShot = Path.Combine(Docs, "screenshot-kontask.png");
        var phoneShot = Path.Combine(Docs, "screenshot-kontasks-phone.png");
        Directory.CreateDirectory(Docs);
        foreach (var shot in new[] { listShot, kontaskShot, phoneShot }) File.Delete(shot);
        await using var app = await KonuiProcess.StartAsync();
        using var desktop = await Task.Run(() => Browser.Start());
        using var phone = await Task.Run(() => Browser.StartPhone());
        var planId = await CreateRealisticKontasksAsync(app);

        await desktop.OpenAsync(app.BaseUrl + KontasksPage.Path);
        Assert.Equal("4 kontasks", desktop.Driver.FindElement(By.CssSelector(".kontasks-count")).Text);
        desktop.SaveScreenshot(listShot);

        await desktop.OpenAsync($"{app.BaseUrl}/kontasks/{planId}");
        var frame = desktop.Driver.FindElement(By.CssSelector("iframe.kontask-frame"));
        desktop.Driver.SwitchTo().Frame(frame);
        await Browser.WaitForAsync(() => desktop.FindOrNull("#plan-diagram svg"), TimeSpan.FromSeconds(15), "the plan's diagram");
        desktop.Driver.SwitchTo().DefaultContent();
        await Browser.WaitForAsync(() => frame.Size.Height > 200 ? frame : null, TimeSpan.FromSeconds(5), "the frame to fit its diagram");
        desktop.SaveScreenshot(kontaskShot);

        await phone.OpenAsync(app.BaseUrl + KontasksPage.Path);
        Assert.Equal(Browser.PhoneWidth, Convert.ToInt32(phone.Run("return window.innerWidth;")));
        var scrollWidth = Convert.ToInt32(phone.Run("return document.documentElement.scrollWidth;"));
        Assert.True(scrollWidth <= Browser.PhoneWidth, $"The Kontasks list is {scrollWidth} px wide on a {Browser.PhoneWidth} px phone: it scrolls sideways.");
        phone.SaveScreenshot(phoneShot);

        AssertScreenshot(listShot, Browser.DesktopWidth, Browser.DesktopHeight);
        AssertScreenshot(kontaskShot, Browser.DesktopWidth, Browser.DesktopHeight);
        AssertScreenshot(phoneShot, Browser.PhoneWidth, Browser.PhoneHeight);
    }

    /// <summary>A PNG of the given size, and more than a blank page: a single-colour 1280x900 PNG is about 4 KB.</summary>
    private static void AssertScreenshot(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is not a PNG.");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.True(bytes.Length > 20_000, $"{path} is only {bytes.Length} bytes: the page looks empty.");
    }

    /// <summary>Four kontasks as Claude would make them; returns the id of the plan with the diagram.</summary>
    private static async Task<string> CreateRealisticKontasksAsync(KonuiProcess app)
    {
        await using var client = await KonuiMcp.ConnectAsync(app);
        await KonuiMcp.CreateKontaskAsync(client, new()
        {
            ["title"] = "Streaming latency: p99 12 ms from delta to DOM",
            ["description"] = "300 words, 20 ms apart, measured in headless Chromium",
            ["type"] = "report",
            ["status"] = "completed",
            ["scope"] = "konui",
            ["tags"] = new[] { "benchmark", "streaming" },
            ["context"] = new Dictionary<string, object?>
            {
                ["output"] = """
                    <table><tr><th>Percentile</th><th>Delta → DOM</th><th>Delta → painted</th></tr>
                    <tr><td>p50</td><td>3 ms</td><td>9 ms</td></tr><tr><td>p99</td><td>12 ms</td><td>27 ms</td></tr></table>
                    """,
                ["turnTiming"] = Timing(totalMs: 95_400, ttfeMs: 2_100, thinkingMs: 6_300, toolMs: 71_000, tools: 5),
            },
        });
        await KonuiMcp.CreateKontaskAsync(client, new()
        {
            ["title"] = "Which port should konsole listen on?",
            ["description"] = "8020 is free on this machine; 8021 is the fallback",
            ["type"] = "question",
            ["status"] = "pending",
            ["scope"] = "konsole",
            ["tags"] = new[] { "config" },
            ["context"] = new Dictionary<string, object?>
            {
                ["output"] = "<p>Konsole needs its own port when it runs standalone. <code>8020</code> is free; <code>8021</code> is the fallback.</p>",
                ["choices"] = new[]
                {
                    Choice("Use 8020", "Use port 8020 for konsole", primary: true),
                    Choice("Use 8021", "Use port 8021 for konsole"),
                },
            },
        });
        await KonuiMcp.CreateKontaskAsync(client, new()
        {
            ["title"] = "CI build fixed: tsc errors in src/api.ts",
            ["description"] = "Two type errors from the fetch wrapper; tests green again",
            ["type"] = "bug",
            ["status"] = "completed",
            ["scope"] = "web",
            ["tags"] = new[] { "ci", "typescript" },
            ["context"] = new Dictionary<string, object?>
            {
                ["output"] = """
                    <p><code>fetchJson</code> returned <code>Promise&lt;any&gt;</code>; both callers now get a typed result.</p>
                    <pre>src/api.ts      | 14 ++++++++------
                    src/api.test.ts |  9 +++++++++</pre>
                    """,
                ["choices"] = new[] { Choice("Open a pull request", "Open a pull request with the fix", primary: true) },
                ["turnTiming"] = Timing(totalMs: 48_200, ttfeMs: 1_900, thinkingMs: 9_800, toolMs: 21_400, tools: 7),
            },
        });
        return await KonuiMcp.CreateKontaskAsync(client, new()
        {
            ["title"] = "Plan: move kontask reads off the request path",
            ["description"] = "Serve the list from the in-memory index; read full records on demand",
            ["type"] = "plan",
            ["status"] = "pending",
            ["scope"] = "konui",
            ["tags"] = new[] { "architecture", "performance" },
            ["context"] = new Dictionary<string, object?>
            {
                ["output"] = """
                    <p>The list page reads every record today. The plan keeps a summary index in memory and reads a full
                    kontask only when its page opens.</p>
                    <div id="plan-diagram"></div>
                    <script>renderMermaidDiagram('plan-diagram', 'graph LR; MCP[MCP call] --> File[(kontasks.jsonl)]; File --> Watcher; Watcher --> Index[Summary index]; Index --> List[Kontasks list]; File --> Page[Kontask page]')</script>
                    <ol><li>Index summaries on start and on every append.</li><li>Read one record by offset for the kontask page.</li><li>Measure with 100k kontasks.</li></ol>
                    """,
                ["choices"] = new[]
                {
                    Choice("Go ahead", "Go ahead with the plan", primary: true),
                    Choice("Show the risks first", "What could go wrong with this plan?"),
                    Choice("Hold off", "Hold off on this for now"),
                },
                ["turnTiming"] = Timing(totalMs: 31_700, ttfeMs: 1_400, thinkingMs: 12_900, toolMs: 8_200, tools: 4),
            },
        });
    }

    private static Dictionary<string, object?> Choice(string label, string value, bool primary = false) =>
        new() { ["label"] = label, ["value"] = value, ["primary"] = primary };

    private static Dictionary<string, object?> Timing(double totalMs, double ttfeMs, double thinkingMs, double toolMs, int tools) => new()
    {
        ["totalMs"] = totalMs,
        ["ttfeMs"] = ttfeMs,
        ["thinkingMs"] = thinkingMs,
        ["toolExecutionMs"] = toolMs,
        ["toolCallCount"] = tools,
        ["ttfePct"] = Math.Round(100 * ttfeMs / totalMs, 1),
        ["thinkingPct"] = Math.Round(100 * thinkingMs / totalMs, 1),
        ["toolsPct"] = Math.Round(100 * toolMs / totalMs, 1),
    };
}
