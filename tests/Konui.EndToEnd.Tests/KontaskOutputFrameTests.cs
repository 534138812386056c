using System.Globalization;
using Konui.Testing;
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

    [Fact]
    public async Task The_outputs_scripts_reach_no_network_and_its_forms_go_nowhere_while_its_pictures_and_diagrams_show()
    {
        await using var elsewhere = await OtherSite.StartAsync();
        await OpenKontaskAsync("Chatty card", $$"""
            <p id="blocked">nothing blocked yet</p>
            <img id="inline-picture" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">
            <img id="remote-picture" src="{{elsewhere.BaseUrl}}/tracker.png">
            <div id="d1"></div>
            <form id="f" action="{{elsewhere.BaseUrl}}/form" method="post"><input name="secret" value="1"></form>
            <script>
              const blocked = new Set();
              document.addEventListener('securitypolicyviolation', e => {
                blocked.add(e.violatedDirective);
                document.getElementById('blocked').textContent = [...blocked].sort().join(' ');
              });
              fetch('{{elsewhere.BaseUrl}}/fetch').catch(() => {});
              navigator.sendBeacon('{{elsewhere.BaseUrl}}/beacon', 'hello');
              try { new WebSocket('{{elsewhere.BaseUrl.Replace("http", "ws", StringComparison.Ordinal)}}/socket'); } catch (e) { }
              const script = document.createElement('script');
              script.src = '{{elsewhere.BaseUrl}}/script.js';
              document.head.appendChild(script);
              document.getElementById('f').submit();
              renderMermaidDiagram('d1', 'graph TD; A-->B');
            </script>
            """);

        Browser.Driver.SwitchTo().Frame(Browser.Driver.FindElement(By.CssSelector("iframe.kontask-frame")));
        try
        {
            await Browser.WaitForAsync(
                () => Browser.FindOrNull("#blocked")?.Text is { } text && text.Contains("connect-src", StringComparison.Ordinal)
                    && text.Contains("img-src", StringComparison.Ordinal) && text.Contains("script-src", StringComparison.Ordinal) ? text : null,
                RenderLimit, "the frame's policy to block the fetch, the beacon, the remote picture and the remote script");
            await Browser.WaitForAsync(() => Browser.FindOrNull("#d1 svg"), RenderLimit, "the mermaid diagram, which the policy lets through");
            Assert.True(Browser.Run("return document.getElementById('inline-picture').naturalWidth;") is long and > 0, "the data: picture did not show");
            Assert.Equal(0L, Browser.Run("return document.getElementById('remote-picture').naturalWidth;"));
        }
        finally
        {
            Browser.Driver.SwitchTo().DefaultContent();
        }
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_meta_refresh_in_the_output_does_not_take_the_frame_elsewhere()
    {
        await using var elsewhere = await OtherSite.StartAsync();
        await OpenKontaskAsync("Refreshing card", $$"""
            <meta http-equiv="refresh" content="0;url={{elsewhere.BaseUrl}}/refreshed">
            <META HTTP-EQUIV="Refresh" CONTENT="0; URL={{elsewhere.BaseUrl}}/shouted">
            <p id="still">loading</p>
            <script>window.addEventListener('load', () => setTimeout(() => document.getElementById('still').textContent = 'still here', 1500));</script>
            """);

        Browser.Driver.SwitchTo().Frame(Browser.Driver.FindElement(By.CssSelector("iframe.kontask-frame")));
        try
        {
            await Browser.WaitForAsync(() => Browser.FindOrNull("#still")?.Text == "still here" ? "yes" : null, RenderLimit,
                "the output, 1.5 s after it loaded, still in its frame");
        }
        finally
        {
            Browser.Driver.SwitchTo().DefaultContent();
        }
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_link_in_the_output_opens_in_a_new_tab_without_a_referrer_and_the_card_stays()
    {
        await using var elsewhere = await OtherSite.StartAsync();
        await OpenKontaskAsync("Linking card", $$"""
            <p id="mine">The card's own words</p>
            <a id="docs" href="{{elsewhere.BaseUrl}}/docs">the docs</a>
            """);
        var dashboard = Browser.Driver.CurrentWindowHandle;
        Browser.Driver.SwitchTo().Frame(Browser.Driver.FindElement(By.CssSelector("iframe.kontask-frame")));
        try
        {
            Browser.Driver.FindElement(By.Id("docs")).Click();
            var opened = await Browser.WaitForAsync(() => elsewhere.Requests.FirstOrDefault(r => r.PathAndQuery == "/docs"), RenderLimit, "the link to open");
            Assert.Equal("", opened.Referer);
            Assert.Equal("The card's own words", Browser.Driver.FindElement(By.Id("mine")).Text);
        }
        finally
        {
            Browser.Driver.SwitchTo().DefaultContent();
        }
        var tabs = Browser.Driver.WindowHandles.Where(t => t != dashboard).ToList();
        Assert.Single(tabs);
        Browser.SwitchToTab(tabs[0]);
        Browser.Driver.Close();
        Browser.SwitchToTab(dashboard);
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
