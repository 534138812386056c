using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Konui.EndToEnd.Tests.Decisions;

/// <summary>
/// The session's mode and model switched from the status bar, a plan kept and approved from its card, and prompts
/// queued while a turn runs: with the real CLI, in the browser.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SessionControlsTests
{
    private const string Plan = "# Plan: add the parser\n\n1. Write the parser\n2. Test the parser\n";

    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;
    private readonly DecisionCards _cards;

    public SessionControlsTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
        _cards = new DecisionCards(konui.Browser);
    }

    private IWebElement WaitFor(string css, string what) =>
        Browser.WaitForAsync(() => _konui.Browser.FindOrNull(css) is { Displayed: true } element ? element : null, TimeSpan.FromSeconds(15), what).GetAwaiter().GetResult();

    /// <summary>Opens the status bar's menu and picks an item.</summary>
    private void Choose(string menu, string item)
    {
        WaitFor($"{menu} button", $"the {menu} menu").Click();
        WaitFor(item, $"{item} in the menu").Click();
    }

    private Task WaitForStatusAsync(string css, string attribute, string value) =>
        Browser.WaitForAsync(() => _konui.Browser.FindOrNull(css)?.GetAttribute(attribute) == value ? "yes" : null, TimeSpan.FromSeconds(15), $"{css} to say {value}");

    private async Task<TurnInit> InitOfAsync(string turnId) => (await _konui.Konui.ReadAllAsync(turnId)).OfType<TurnInit>().Single();

    [Fact]
    public async Task Mode_and_model_switched_from_the_status_bar_are_what_the_next_turn_starts_with()
    {
        _konui.Konui.Model.SetScript(_ => ModelReply.Text("Noted."));
        var (sessionId, first) = await _page.StartSessionAsync("Start a session for switching");
        await _page.WaitForEndAsync(first);
        await WaitForStatusAsync(".status-mode", "data-mode", PermissionModes.Default);
        Assert.Equal("claude-test", _konui.Browser.FindOrNull(".status-model")!.GetAttribute("data-model"));

        Choose(".status-mode", $".status-mode-item[data-mode='{PermissionModes.AcceptEdits}']");
        await WaitForStatusAsync(".status-mode", "data-mode", PermissionModes.AcceptEdits);
        Choose(".status-model", ".status-model-other");
        var name = WaitFor(".status-model-input", "the model's name field");
        name.SendKeys("claude-other");
        await Browser.WaitForAsync(() => _konui.Browser.FindOrNull(".status-model-apply:not([disabled])"), TimeSpan.FromSeconds(10), "Switch to be enabled");
        name.SendKeys(Keys.Enter);
        await WaitForStatusAsync(".status-model", "data-model", "claude-other");

        var next = await _page.SendAsync("And now?");
        Assert.Equal("ok", (await _page.WaitForEndAsync(next)).State);

        var init = await InitOfAsync(next);
        Assert.Equal(("claude-other", PermissionModes.AcceptEdits), (init.Model, init.PermissionMode));
        Assert.Equal("claude-other", _konui.Konui.Model.Requests[^1].Model);
        var session = await _konui.Konui.Konsole.GetSessionAsync(sessionId);
        Assert.Equal(("claude-other", PermissionModes.AcceptEdits), (session.Model, session.PermissionMode));
    }

    [Fact]
    public async Task A_plan_kept_in_planning_with_feedback_then_approved_goes_on_in_the_mode_chosen()
    {
        _konui.Konui.Model.SetScript(_ => ModelReply.Text("Ready to plan."));
        var (sessionId, first) = await _page.StartSessionAsync("Let us plan together");
        await _page.WaitForEndAsync(first);
        Choose(".status-mode", $".status-mode-item[data-mode='{PermissionModes.Plan}']");
        await WaitForStatusAsync(".status-mode", "data-mode", PermissionModes.Plan);
        _konui.Konui.Model.SetScript(request => request.ToolResult switch
        {
            null when request.PlanFilePath is { } path => ModelReply.Write(path, Plan),
            { Content: var written } when written.Contains("File created successfully", StringComparison.Ordinal)
                || written.Contains("updated successfully", StringComparison.Ordinal) => ModelReply.ExitPlanMode(),
            _ => ScriptedModelApi.Echo(request),
        });

        var rejected = await _page.SendAsync("Plan the parser");
        var card = await _cards.WaitForPendingAsync("ExitPlanMode");
        Assert.Equal("Claude's plan is ready", card.Ask);
        var element = _cards.Element(card.DecisionId);
        Assert.Equal("Plan: add the parser", element.FindElement(By.CssSelector(".plan-text h1")).Text);
        Assert.Equal(["Write the parser", "Test the parser"], element.FindElements(By.CssSelector(".plan-text li")).Select(li => li.Text));
        _cards.Type(card.DecisionId, "[data-decision-reason]", "Add a step for the docs.");
        _cards.Click(card.DecisionId, "[data-decision-deny]");

        Assert.Equal("Kept planning by Konui in Chrome on Linux: Add a step for the docs.", (await _cards.WaitForStateAsync(card.DecisionId, "denied")).Outcome);
        var kept = await _page.WaitForEndAsync(rejected);
        Assert.Contains("Add a step for the docs.", kept.Answer, StringComparison.Ordinal);
        Assert.Equal(PermissionModes.Plan, _konui.Browser.FindOrNull(".status-mode")!.GetAttribute("data-mode"));

        var approved = await _page.SendAsync("Plan the parser again");
        var again = await Browser.WaitForAsync(() => _cards.All().FirstOrDefault(c => c.Tool == "ExitPlanMode" && c.State == "waiting" && c.DecisionId != card.DecisionId),
            DashboardPage.TurnLimit, "the second plan");
        _konui.Browser.Run("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
            _cards.Element(again.DecisionId).FindElement(By.CssSelector("select.plan-mode")), PermissionModes.AcceptEdits);
        _cards.Click(again.DecisionId, "[data-decision-allow]");

        Assert.Equal("Approved by Konui in Chrome on Linux", (await _cards.WaitForStateAsync(again.DecisionId, "allowed")).Outcome);
        Assert.Equal("ok", (await _page.WaitForEndAsync(approved)).State);
        await WaitForStatusAsync(".status-mode", "data-mode", PermissionModes.AcceptEdits);
        Assert.Equal(PermissionModes.AcceptEdits, (await _konui.Konui.Konsole.GetSessionAsync(sessionId)).PermissionMode);
    }

    [Fact]
    public async Task Two_prompts_queued_during_a_turn_wait_under_it_and_run_in_order_after_it()
    {
        _konui.Konui.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request)
            : request.LastUserText.Contains("hold on", StringComparison.Ordinal) ? ModelReply.Bash("echo held > e2e-held.txt")
            : ModelReply.Text(request.LastUserText.Contains("First", StringComparison.Ordinal) ? "Done: the first" : "Done: the second"));
        var (_, first) = await _page.StartSessionAsync("Please hold on");
        var card = await _cards.WaitForPendingAsync("Bash");
        Assert.Equal("Queue", _konui.Browser.FindOrNull("[data-konui-send]")!.Text.Trim());

        await QueueAsync("First queued prompt");
        await QueueAsync("Second queued prompt");
        await QueueAsync("A prompt to take back");
        List<string> Queued() => _konui.Browser.Driver.FindElements(By.CssSelector(".queued-prompt .queued-text")).Select(q => q.Text).ToList();
        Assert.Equal(["First queued prompt", "Second queued prompt", "A prompt to take back"], Queued());
        _konui.Browser.Driver.FindElements(By.CssSelector(".queued-prompt .queued-remove"))[2].Click();
        await Browser.WaitForAsync(() => Queued().Count == 2 ? "two" : null, TimeSpan.FromSeconds(10), "the prompt to leave the queue");
        _konui.Browser.Driver.FindElements(By.CssSelector(".queued-prompt .queued-edit-open"))[1].Click();
        var edit = WaitFor(".queued-edit", "the queued prompt's editor");
        edit.SendKeys(", edited");
        await Browser.WaitForAsync(() => _konui.Browser.FindOrNull(".queued-save:not([disabled])"), TimeSpan.FromSeconds(10), "Save to be enabled");
        _konui.Browser.Driver.FindElement(By.CssSelector(".queued-save")).Click();
        await Browser.WaitForAsync(() => Queued() is ["First queued prompt", "Second queued prompt, edited"] ? "edited" : null, TimeSpan.FromSeconds(10), "the edit in the queue");
        Assert.Single(_page.Turns());

        _cards.Click(card.DecisionId, "[data-decision-allow]");

        Assert.Equal("ok", (await _page.WaitForEndAsync(first)).State);
        var turns = await Browser.WaitForAsync(() => _page.Turns() is { Count: 3 } all && all.All(t => t.State == "ok") ? all : null,
            DashboardPage.TurnLimit * 2, "both queued prompts to run");
        Assert.Equal(["Please hold on", "First queued prompt", "Second queued prompt, edited"], turns.Select(t => t.Prompt));
        Assert.Equal(["Done: the first", "Done: the second"], turns.Skip(1).Select(t => t.Answer));
        await Browser.WaitForAsync(() => Queued().Count == 0 ? "empty" : null, TimeSpan.FromSeconds(10), "the queue to empty");
    }

    /// <summary>Types a prompt and sends it with Ctrl+Enter while a turn runs; waits until it shows in the queue.</summary>
    private async Task QueueAsync(string prompt)
    {
        var box = _page.PromptBox;
        box.SendKeys(prompt);
        await Browser.WaitForAsync(() => _konui.Browser.FindOrNull("[data-konui-send]:not([disabled])"), TimeSpan.FromSeconds(10), "Queue to be enabled");
        new Actions(_konui.Browser.Driver).KeyDown(Keys.Control).SendKeys(Keys.Enter).KeyUp(Keys.Control).Perform();
        await Browser.WaitForAsync(() => _konui.Browser.Driver.FindElements(By.CssSelector(".queued-prompt .queued-text")).Any(q => q.Text == prompt) ? "queued" : null,
            TimeSpan.FromSeconds(10), $"\"{prompt}\" in the queue");
        Assert.Equal("", _page.PromptBox.GetAttribute("value"));
    }
}
