using System.Text.Json.Nodes;
using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>When Claude hands work to a subagent (the Agent tool), what the subagent does shows inside that call.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SubagentTests
{
    private const string Prompt = "How many kontasks are open? Ask a helper.";
    private const string HelperPrompt = "Count the open kontasks";

    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public SubagentTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task A_subagents_tool_calls_show_inside_its_agent_call_not_in_the_main_conversation()
    {
        // The main conversation carries the user's prompt; the subagent's starts from the Agent call's prompt.
        _konui.Konui.Model.SetScript(request => (request.RawJson.Contains(Prompt, StringComparison.Ordinal), request.HasToolResult) switch
        {
            (true, false) => ModelReply.ToolUse("Agent", new JsonObject
            {
                ["description"] = "Count kontasks",
                ["prompt"] = HelperPrompt,
                ["subagent_type"] = "general-purpose",
            }, leadingText: "Let me ask a helper."),
            (true, true) => ModelReply.Text("The helper says none are open."),
            (false, false) => ModelReply.ToolUse("mcp__konui__konui_list_tasks", new JsonObject()),
            (false, true) => ModelReply.Text("There are no open kontasks."),
        });
        await _page.OpenNewSessionAsync();

        var turnId = await _page.SendAsync(Prompt);
        var turn = await _page.WaitForEndAsync(turnId);

        Assert.Equal("ok", turn.State);
        Assert.Equal("Let me ask a helper.\nThe helper says none are open.", turn.Answer);
        var article = _page.Browser.Driver.FindElement(By.CssSelector($"article.turn[data-turn-id='{turnId}']"));
        var agent = article.FindElement(By.CssSelector(":scope > .tool-call[data-tool='Agent']"));
        Assert.Contains("Count kontasks", agent.FindElement(By.CssSelector("summary")).GetAttribute("textContent"), StringComparison.Ordinal);
        Assert.Contains("done · 1 step", agent.FindElement(By.CssSelector("summary")).GetAttribute("textContent"), StringComparison.Ordinal);
        var step = agent.FindElement(By.CssSelector(".tool-steps > .tool-call[data-tool='mcp__konui__konui_list_tasks']"));
        Assert.Contains("done", step.FindElement(By.CssSelector(".tool-status")).GetAttribute("textContent"), StringComparison.Ordinal);
        Assert.Empty(article.FindElements(By.CssSelector(":scope > .tool-call[data-tool='mcp__konui__konui_list_tasks']")));
        Assert.StartsWith("There are no open kontasks.", agent.FindElement(By.CssSelector(":scope > .tool-result")).GetAttribute("textContent"), StringComparison.Ordinal);
    }
}
