using System.Globalization;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests;

/// <summary>A kontask's HTML output runs in a sandboxed frame: diagrams render, the dashboard stays out of reach.</summary>
public sealed class KontaskOutputFrameTests(KonuiFixture konui) : IClassFixture<KonuiFixture>
{
    private static readonly TimeSpan RenderLimit = TimeSpan.FromSeconds(15);

    private Browser Browser => konui.Browser;

    [Fact]
    public async Task A_mermaid_diagram_in_the_output_renders_in_a_sandboxed_frame_that_grows_to_fit()
    {
        await OpenKontaskAsync("Request flow", """
            <h2>How a card reaches the page</h2>
            <p>The MCP call appends a line; the store's watcher publishes it; every open page renders it.</p>
            <div id="d1"></div>
            <script>renderMermaidDiagram('d1', 'graph TD; A-->B')</script>
            <p>Both steps take a few milliseconds.</p>
            """);
        var frame = Browser.Driver.FindElement(By.CssSelector("iframe.kontask-frame"));
        Assert.Equal("allow-scripts", frame.GetAttribute("sandbox"));

        Browser.Driver.SwitchTo().Frame(frame);
        try
        {
            var svg = await Browser.WaitForAsync(() => Browser.FindOrNull("#d1 svg"), RenderLimit, "the mermaid diagram's <svg> in the frame");
            var nodes = Browser.Run<IReadOnlyCollection<object>>("return [...document.querySelectorAll('#d1 svg g.node')].map(n => n.textContent.trim());");
            Assert.Equal(["A", "B"], nodes.Select(n => (string)n).Order());
            Assert.True(svg.Size.Height > 50, $"The diagram is only {svg.Size.Height} px high.");
        }
        finally
        {
            Browser.Driver.SwitchTo().DefaultContent();
        }

        // The frame starts 120 px high (KontaskOutputFrame.razor.css); the page sizes it to the content the frame reports.
        var sizes = await Browser.WaitForAsync(() =>
        {
            var (frameHeight, contentHeight) = FrameAndContentHeights();
            return frameHeight > 120 && Math.Abs(frameHeight - contentHeight) <= 1 ? new[] { frameHeight, contentHeight } : null;
        }, TimeSpan.FromSeconds(5), "the frame to grow to its content's height");
        Assert.True(sizes[0] > 200, $"The frame is {sizes[0]} px high for a heading, two paragraphs and a diagram.");
    }

    [Fact]
    public async Task A_script_in_the_output_cannot_read_or_change_the_dashboard()
    {
        var pageTitle = await OpenKontaskAsync("Sneaky card", """
            <p>Trying to reach the dashboard: <span id="probe">script did not run</span></p>
            <script>
              const probe = document.getElementById('probe');
              try {
                const title = parent.document.title;
                parent.document.title = 'leaked: ' + title;
                probe.textContent = 'read the dashboard title: ' + title;
              } catch (e) {
                probe.textContent = e.name;
              }
            </script>
            """);
        var frame = Browser.Driver.FindElement(By.CssSelector("iframe.kontask-frame"));
        Assert.Equal("allow-scripts", frame.GetAttribute("sandbox"));

        Browser.Driver.SwitchTo().Frame(frame);
        string probe;
        try
        {
            probe = await Browser.WaitForAsync(
                () => Browser.FindOrNull("#probe")?.Text is { } text && text != "script did not run" ? text : null,
                RenderLimit, "the output's script to run");
        }
        finally
        {
            Browser.Driver.SwitchTo().DefaultContent();
        }

        Assert.Equal("SecurityError", probe);
        Assert.Equal(pageTitle, Browser.Title);
    }

    private (double Frame, double Content) FrameAndContentHeights()
    {
        var frame = Browser.Driver.FindElement(By.CssSelector("iframe.kontask-frame"));
        var frameHeight = Convert.ToDouble(Browser.Run("return arguments[0].getBoundingClientRect().height;", frame), CultureInfo.InvariantCulture);
        Browser.Driver.SwitchTo().Frame(frame);
        try
        {
            return (frameHeight, Convert.ToDouble(Browser.Run("return document.documentElement.scrollHeight;"), CultureInfo.InvariantCulture));
        }
        finally
        {
            Browser.Driver.SwitchTo().DefaultContent();
        }
    }

    /// <summary>Creates a kontask over MCP, opens its page and returns the page's title.</summary>
    private async Task<string> OpenKontaskAsync(string title, string output)
    {
        var id = await KonuiMcp.CreateKontaskAsync(konui.App, new()
        {
            ["title"] = title,
            ["context"] = new Dictionary<string, object?> { ["output"] = output },
        });
        await Browser.OpenAsync($"{konui.App.BaseUrl}/kontasks/{id}");
        Assert.Equal(title, Browser.Driver.FindElement(By.CssSelector(".kontask-header h1")).Text);
        return $"{title} · Konui";
    }
}
