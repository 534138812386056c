using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Konui.EndToEnd.Tests.Decisions;

/// <summary>
/// Claude asks, you decide, in the browser: the real CLI asks konsole whether a tool may run, the card shows in every
/// tab on the session (also one opened later or reloaded), and the first answer from any of them is the one that counts.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DecisionCardTests
{
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;
    private readonly DecisionCards _cards;

    public DecisionCardTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
        _cards = new DecisionCards(konui.Browser);
    }

    private string Work => Path.Combine(_konui.Konui.Home, "work");

    /// <summary>The model runs <paramref name="command"/> when the prompt names <paramref name="ask"/>, and reports what the tool said.</summary>
    private void ScriptCommand(string ask, string command) =>
        _konui.Konui.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request)
            : request.LastUserText.Contains(ask, StringComparison.Ordinal) ? ModelReply.Bash(command, "Write a marker file")
            : ModelReply.Text("Ready."));

    [Fact]
    public async Task Enter_on_the_card_allows_the_command_which_runs_and_a_reload_while_waiting_still_shows_the_card()
    {
        ScriptCommand("allowed marker", "echo allowed > e2e-allowed.txt");
        var (_, turnId) = await _page.StartSessionAsync("Make the allowed marker");

        var card = await _cards.WaitForPendingAsync("Bash");
        Assert.Equal(("Claude wants to run a command", "echo allowed > e2e-allowed.txt"), (card.Ask, card.Command));
        Assert.Equal("Waiting for you", _cards.StatusWaiting);
        Assert.StartsWith("Waiting for you", _konui.Browser.Title, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Work, "e2e-allowed.txt")), "nothing runs before the user decides");

        await _konui.Browser.ReloadAsync();
        await _page.WaitForLiveAsync();
        Assert.Equal("waiting", (await _cards.WaitForPendingAsync("Bash", TimeSpan.FromSeconds(15))).State);
        Assert.Equal(card.DecisionId, _cards.All().Single().DecisionId);

        // The card takes focus when nothing else has it; Enter on the card allows.
        var element = _cards.Element(card.DecisionId);
        _konui.Browser.Run("arguments[0].focus();", element);
        new Actions(_konui.Browser.Driver).SendKeys(Keys.Enter).Perform();

        var allowed = await _cards.WaitForStateAsync(card.DecisionId, "allowed");
        Assert.Equal("Allowed once by Konui in Chrome on Linux", allowed.Outcome);
        var turn = await _page.WaitForEndAsync(turnId);
        Assert.Equal("ok", turn.State);
        Assert.Equal("allowed", File.ReadAllText(Path.Combine(Work, "e2e-allowed.txt")).Trim());
        Assert.Null(_cards.StatusWaiting);
        Assert.DoesNotContain("Waiting for you", _konui.Browser.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tab_opened_while_waiting_shows_the_card_denies_it_with_a_reason_and_the_first_tab_flips_within_a_second()
    {
        ScriptCommand("denied marker", "echo denied > e2e-denied.txt");
        var (sessionId, turnId) = await _page.StartSessionAsync("Make the denied marker");
        var card = await _cards.WaitForPendingAsync("Bash");
        var tabA = _konui.Browser.Driver.CurrentWindowHandle;
        _page.MarkDocument();
        _konui.Browser.Run("""
            window.__konuiFlipped = null;
            const card = document.querySelector(`.decision-card[data-decision-id='${arguments[0]}']`);
            new MutationObserver(() => { if (card.dataset.state !== 'waiting' && window.__konuiFlipped === null) window.__konuiFlipped = performance.timeOrigin + performance.now(); })
              .observe(card, { attributes: true });
            """, card.DecisionId);

        await _page.OpenSessionInNewTabAsync(sessionId);
        var inB = await _cards.WaitForPendingAsync("Bash", TimeSpan.FromSeconds(15));
        Assert.Equal(card.DecisionId, inB.DecisionId);
        _cards.Type(card.DecisionId, "[data-decision-reason]", "Not on my machine.");
        var clicked = _konui.Browser.Run<double>("return performance.timeOrigin + performance.now();");
        _cards.Click(card.DecisionId, "[data-decision-deny]");
        var deniedInB = await _cards.WaitForStateAsync(card.DecisionId, "denied");

        _konui.Browser.SwitchToTab(tabA);
        var deniedInA = await _cards.WaitForStateAsync(card.DecisionId, "denied", TimeSpan.FromSeconds(5));
        var flippedAfter = _konui.Browser.Run<double>("return window.__konuiFlipped;") - clicked;
        Assert.True(flippedAfter < 1000, $"Tab A showed the answer {flippedAfter:0} ms after the click in tab B.");
        Assert.True(_page.IsSameDocument(), "Tab A was reloaded.");
        Assert.Equal(deniedInB, deniedInA);
        Assert.Equal("Denied by Konui in Chrome on Linux: Not on my machine.", deniedInA.Outcome);
        var turn = await _page.WaitForEndAsync(turnId);
        Assert.Equal("ok", turn.State);
        Assert.Contains("Not on my machine.", turn.Answer, StringComparison.Ordinal);
        Assert.Contains("Not on my machine.", _konui.Konui.Model.Requests[^1].ToolResult!.Content, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Work, "e2e-denied.txt")));
    }

    [Fact]
    public async Task Allowed_for_this_session_the_next_identical_call_runs_without_asking()
    {
        ScriptCommand("touch it", "touch e2e-touched.txt");
        var (_, first) = await _page.StartSessionAsync("Please touch it");
        var card = await _cards.WaitForPendingAsync("Bash");
        var button = _cards.Element(card.DecisionId).FindElement(By.CssSelector("[data-decision-allow-session]"));
        Assert.Equal("Allow for this session + acceptEdits", button.Text.Trim());
        Assert.Contains("allows Bash(touch e2e-touched.txt)", button.GetAttribute("title"), StringComparison.Ordinal);
        _konui.Browser.SaveScreenshot(Path.Combine(RepoRoot.Find(), "docs", "pages", "decision.png"));

        button.Click();

        Assert.Equal("Allowed for this session by Konui in Chrome on Linux", (await _cards.WaitForStateAsync(card.DecisionId, "allowed")).Outcome);
        Assert.Equal("ok", (await _page.WaitForEndAsync(first)).State);
        File.Delete(Path.Combine(Work, "e2e-touched.txt"));
        await Browser.WaitForAsync(() => _konui.Browser.FindOrNull(".status-rules") is { Text: not "nothing allowed" } rules ? rules : null, TimeSpan.FromSeconds(10), "the rule in the status bar");

        var second = await _page.SendAsync("Now touch it again");
        var again = await _page.WaitForEndAsync(second);

        Assert.Equal("ok", again.State);
        Assert.True(File.Exists(Path.Combine(Work, "e2e-touched.txt")), "The second call did not run.");
        Assert.DoesNotContain(_cards.All(), c => c.State == "waiting");
    }

    [Fact]
    public async Task Stop_while_waiting_denies_the_card_and_the_command_never_runs()
    {
        ScriptCommand("stopped marker", "echo stopped > e2e-stopped.txt");
        var (_, turnId) = await _page.StartSessionAsync("Make the stopped marker");
        var card = await _cards.WaitForPendingAsync("Bash");

        _konui.Browser.Driver.FindElement(By.CssSelector("[data-konui-stop]")).Click();

        var stopped = await _cards.WaitForStateAsync(card.DecisionId, "denied");
        Assert.Equal("Denied: the turn was stopped", stopped.Outcome);
        Assert.Equal("failed", (await _page.WaitForEndAsync(turnId, TimeSpan.FromSeconds(20))).State);
        Assert.False(File.Exists(Path.Combine(Work, "e2e-stopped.txt")));
        Assert.Null(_cards.StatusWaiting);
    }

    [Fact]
    public async Task A_question_is_answered_on_its_card_and_the_answer_reaches_the_model()
    {
        _konui.Konui.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request)
            : request.LastUserText.Contains("database", StringComparison.Ordinal)
                ? ModelReply.AskUserQuestion("Which database should we use?", "Database", [("SQLite", "One file, no server"), ("PostgreSQL", "A server, more features")])
                : ModelReply.Text("Ready."));
        var (_, turnId) = await _page.StartSessionAsync("Pick a database with me");
        var card = await _cards.WaitForPendingAsync("AskUserQuestion");
        Assert.Equal("Claude asks you a question", card.Ask);
        var element = _cards.Element(card.DecisionId);
        Assert.Equal("Database", element.FindElement(By.CssSelector(".question-header")).Text);
        Assert.Equal(["SQLite", "PostgreSQL", "Other"], element.FindElements(By.CssSelector(".question-option")).Select(o => o.GetAttribute("data-option")));

        _cards.Click(card.DecisionId, ".question-option[data-option='PostgreSQL'] label");
        await Browser.WaitForAsync(() => _konui.Browser.FindOrNull($".decision-card[data-decision-id='{card.DecisionId}'] [data-decision-allow]:not([disabled])"), TimeSpan.FromSeconds(10), "Answer to be enabled");
        _cards.Click(card.DecisionId, "[data-decision-allow]");

        Assert.Equal("Answered by Konui in Chrome on Linux", (await _cards.WaitForStateAsync(card.DecisionId, "answered")).Outcome);
        Assert.Equal("PostgreSQL", _cards.Element(card.DecisionId).FindElement(By.CssSelector(".question-answer")).Text);
        Assert.Equal("ok", (await _page.WaitForEndAsync(turnId)).State);
        Assert.Contains("\"Which database should we use?\"=\"PostgreSQL\"", _konui.Konui.Model.Requests[^1].ToolResult!.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_shows_its_diff_before_it_runs_and_allowed_the_file_is_written()
    {
        var file = Path.Combine(Work, "e2e-notes.md");
        var content = string.Join("\n", Enumerable.Range(1, 60).Select(i => $"- note {i}")) + "\n";
        _konui.Konui.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request)
            : request.LastUserText.Contains("notes", StringComparison.Ordinal) ? ModelReply.Write(file, content) : ModelReply.Text("Ready."));
        var (_, turnId) = await _page.StartSessionAsync("Write my notes");
        var card = await _cards.WaitForPendingAsync("Write");
        var element = _cards.Element(card.DecisionId);
        Assert.Equal("Claude wants to write e2e-notes.md", card.Ask);
        Assert.Equal(40, element.FindElements(By.CssSelector(".diff-line.added")).Count);
        Assert.Equal("+60 −0", element.FindElement(By.CssSelector(".diff-counts")).Text);

        _cards.Click(card.DecisionId, ".diff-show-all");
        await Browser.WaitForAsync(() => _cards.Element(card.DecisionId).FindElements(By.CssSelector(".diff-line.added")).Count == 60 ? "all" : null, TimeSpan.FromSeconds(10), "all 60 lines");
        Assert.False(File.Exists(file));
        _cards.Click(card.DecisionId, "[data-decision-allow]");

        await _cards.WaitForStateAsync(card.DecisionId, "allowed");
        Assert.Equal("ok", (await _page.WaitForEndAsync(turnId)).State);
        Assert.Equal(content, File.ReadAllText(file));
    }
}
