using System.Text.Json.Nodes;
using Konui.Core.Kontasks;
using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>A kontask Claude makes during a turn shows in the transcript where it was made, and its choices answer Claude.</summary>
[Collection(DashboardCollection.Name)]
public sealed class KontaskInTurnTests
{
    private const string CreateTaskTool = "mcp__konui__konui_create_task";
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public KontaskInTurnTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task A_kontask_made_in_a_turn_shows_as_a_card_in_it_and_on_the_kontasks_page_and_a_choice_sends_the_next_prompt()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var title = "Deploy plan " + suffix;
        var deployNow = "Deploy the three services now (" + suffix + ")";
        var waitForMonday = "Wait until Monday (" + suffix + ")";
        _konui.Konui.Model.SetScript(request =>
            request.LastUserText.Contains(deployNow, StringComparison.Ordinal) ? ModelReply.Text("Deploying the three services now.")
            : request.HasToolResult ? ModelReply.Text("The plan is on the card above: pick one.")
            : ModelReply.ToolUse(CreateTaskTool, new JsonObject
            {
                ["title"] = title,
                ["requestId"] = KonuiWithClaude.RequestIdIn(request),
                ["description"] = "Three services are ready to deploy",
                ["context"] = new JsonObject
                {
                    ["output"] = "<p>api, worker and web are built and tested.</p>",
                    ["choices"] = new JsonArray(
                        new JsonObject { ["label"] = "Deploy now", ["value"] = deployNow, ["primary"] = true },
                        new JsonObject { ["label"] = "Wait", ["value"] = waitForMonday }),
                },
            }, leadingText: "I'll put the plan on a card."));

        var (_, turnId) = await _page.StartSessionAsync("Plan the deploy");
        var turn = await _page.WaitForEndAsync(turnId);

        Assert.Equal("ok", turn.State);
        var kontask = Assert.Single(File.ReadAllLines(_konui.Konui.Konui.KontasksFile).Select(line => KontaskJson.Deserialize(line)!).Where(k => k.Title == title).DistinctBy(k => k.Id));
        Assert.Equal(kontask.Id, turn.Kontasks);
        Assert.Equal("I'll put the plan on a card.\nThe plan is on the card above: pick one.", turn.Answer);
        var card = $"article.turn[data-turn-id='{turnId}'] .tool-kontask .kontask-card[data-kontask-id='{kontask.Id}']";
        Assert.Equal(title, _konui.Browser.Driver.FindElement(By.CssSelector(card + " .kontask-card-title")).Text);
        Assert.NotNull(_konui.Browser.FindOrNull(card + " iframe.kontask-frame"));
        var choices = _konui.Browser.Driver.FindElements(By.CssSelector(card + " .kontask-card-choices button"));
        Assert.Equal(["Deploy now", "Wait"], choices.Select(c => c.Text));

        var dashboard = _konui.Browser.Driver.CurrentWindowHandle;
        await _konui.Browser.OpenTabAsync(_konui.BaseUrl + KontasksPage.Path);
        Assert.Equal(kontask.Id, await KontasksPage.WaitForRowAsync(_konui.Browser, title, TimeSpan.FromSeconds(10)));
        _konui.Browser.Driver.Close();
        _konui.Browser.SwitchToTab(dashboard);

        _konui.Browser.Driver.FindElement(By.CssSelector(card + " .kontask-card-choices button.mud-button-filled-primary")).Click();

        var asked = await _konui.Konui.Model.WaitForRequestAsync(r => r.LastUserText.Contains(deployNow, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(waitForMonday, asked.LastUserText, StringComparison.Ordinal);
        var next = await Browser.WaitForAsync(() => _page.Turns().FirstOrDefault(t => t.TurnId != turnId && t.Prompt == deployNow),
            TimeSpan.FromSeconds(30), "a new turn with the choice as its prompt");
        next = await _page.WaitForEndAsync(next.TurnId);
        Assert.Equal("ok", next.State);
        Assert.Equal("Deploying the three services now.", next.Answer);
        Assert.Equal([turnId, next.TurnId], _page.Turns().Select(t => t.TurnId));
    }
}
