using System.Text.Json.Nodes;
using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Konui.EndToEnd.Tests.Review;

/// <summary>
/// Reviewing what Claude did, with the real CLI in headless Chromium: edits as diffs, commands as terminals, the task
/// list, sessions in project folders, the changes panel, and the composer's pickers.
/// </summary>
[Collection(ReviewCollection.Name)]
public sealed class ReviewTests
{
    private static readonly string Shots = Path.Combine(RepoRoot.Find(), "docs", "pages");

    private readonly ReviewFixture _konui;
    private readonly DashboardPage _page;

    public ReviewTests(ReviewFixture konui)
    {
        _konui = konui;
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    private Browser Browser => _konui.Browser;

    private ScriptedModelApi Model => _konui.Konui.Model;

    private static ModelReply Tool(string name, JsonObject input) => ModelReply.ToolUse(name, input);

    private static ModelReply TaskCreate(string subject, string activeForm) =>
        Tool("TaskCreate", new JsonObject { ["subject"] = subject, ["description"] = subject + ", carefully", ["activeForm"] = activeForm });

    private static ModelReply TaskUpdate(string taskId, string status) => Tool("TaskUpdate", new JsonObject { ["taskId"] = taskId, ["status"] = status });

    /// <summary>Opens a new session in <paramref name="folder"/> as the dialog does, and waits until it is live.</summary>
    private async Task OpenNewSessionInAsync(string folder)
    {
        await Browser.OpenAsync($"{_konui.BaseUrl}/?new=true&folder={Uri.EscapeDataString(folder)}");
        await _page.WaitForLiveAsync();
    }

    private IWebElement Article(string turnId) => Browser.Driver.FindElement(By.CssSelector($"article.turn[data-turn-id='{turnId}']"));

    private static List<string> DiffLines(IWebElement diff) =>
        diff.FindElements(By.CssSelector("tr.diff-line")).Select(row =>
            (row.GetAttribute("class")!.Contains("added", StringComparison.Ordinal) ? "+" : row.GetAttribute("class")!.Contains("removed", StringComparison.Ordinal) ? "-" : " ")
            + row.FindElement(By.CssSelector(".diff-text")).GetAttribute("textContent")).ToList();

    private string PromptText => _page.PromptBox.GetAttribute("value") ?? "";

    private List<string> PickerOptions() => Browser.Run<string>(
        "return JSON.stringify([...document.querySelectorAll('.composer-picker [role=option] .composer-option-label')].map(o => o.textContent));") is { } json
        ? System.Text.Json.JsonSerializer.Deserialize<List<string>>(json)! : [];

    [Fact]
    public async Task A_new_session_started_in_a_project_folder_from_the_dialog_runs_there()
    {
        var folder = await _konui.NewRepositoryAsync("shop");
        Model.SetScript(ScriptedModelApi.Steps(ModelReply.Bash("pwd", "Where am I"), ModelReply.Text("I run in the shop.")));
        await _page.OpenNewSessionAsync();

        Browser.Driver.FindElement(By.CssSelector("button.session-new")).Click();
        var filter = await Browser.WaitForAsync(() => Browser.FindOrNull(".project-filter input"), TimeSpan.FromSeconds(10), "the folder dialog");
        filter.SendKeys("sho");
        var shop = await Browser.WaitForAsync(() => Browser.Driver.FindElements(By.CssSelector(".project-folder")) is [var only] && only.GetAttribute("data-path") == folder ? only : null,
            TimeSpan.FromSeconds(10), $"the dialog to offer only {folder}");
        Assert.Equal("true", shop.GetAttribute("data-git"));
        shop.Click();
        await Browser.WaitForAsync(() => Browser.FindOrNull($".dashboard-head .console-folder[data-folder='{folder}']"), TimeSpan.FromSeconds(10), "the header to show the folder");
        Assert.Null(Browser.FindOrNull(".project-folder"));

        var turnId = await _page.SendAsync("Where do you run?");

        Assert.Equal("ok", (await _page.WaitForEndAsync(turnId)).State);
        Assert.Equal(folder, Article(turnId).FindElement(By.CssSelector(".tool-call[data-review='command'] .terminal-output")).GetAttribute("textContent"));
        var sessionId = _page.SessionId!;
        Assert.Equal(folder, (await _konui.Konui.Konsole.GetSessionAsync(sessionId)).WorkingDirectory);
        await Browser.WaitForAsync(() => Browser.FindOrNull($".dashboard-head .console-folder[data-folder='{folder}']"), TimeSpan.FromSeconds(10), "the header to show the session's folder");
        await Browser.WaitForAsync(() => Browser.FindOrNull(".session-picker option:checked") is { } picked && picked.Text.Contains("· in shop", StringComparison.Ordinal) ? picked : null,
            TimeSpan.FromSeconds(10), "the session picker to say the folder");
    }

    [Fact]
    public async Task A_turn_that_writes_then_edits_a_file_shows_both_diffs_and_the_changes_panel_lists_the_file_with_its_diff()
    {
        var folder = await _konui.NewRepositoryAsync("greeter");
        var file = Path.Combine(folder, "hello.txt");
        Model.SetScript(ScriptedModelApi.Steps(
            TaskCreate("Greet the world", "Greeting the world"),
            TaskUpdate("1", "in_progress"),
            ModelReply.Write(file, "Hello\nworld\n"),
            ModelReply.Edit(file, "world", "wide world"),
            ModelReply.Bash("wc -l hello.txt", "Count the lines"),
            TaskUpdate("1", "completed"),
            ModelReply.Text("**hello.txt** now greets the wide world.")));
        await OpenNewSessionInAsync(folder);

        var turnId = await _page.SendAsync("Write a greeting, then widen it");

        Assert.Equal("ok", (await _page.WaitForEndAsync(turnId)).State);
        var edits = Article(turnId).FindElements(By.CssSelector(".tool-call[data-review='edit']"));
        Assert.Equal(["Write", "Edit"], edits.Select(e => e.GetAttribute("data-tool")));
        var written = edits[0].FindElement(By.CssSelector(".diff-view"));
        Assert.Equal(file, written.FindElement(By.CssSelector(".diff-path")).Text);
        Assert.Equal("new file", written.FindElement(By.CssSelector(".diff-new-file")).Text);
        Assert.Equal(["+Hello", "+world"], DiffLines(written));
        var edited = edits[1].FindElement(By.CssSelector(".diff-view"));
        Assert.Equal(" Hello|-world|+wide world", string.Join("|", DiffLines(edited)));
        Assert.Equal("@@ -1,2 +1,2 @@", edited.FindElement(By.CssSelector(".diff-hunk")).Text);
        Assert.Equal("2 hello.txt", Article(turnId).FindElement(By.CssSelector(".tool-call[data-review='command'] .terminal-output")).GetAttribute("textContent"));

        var changed = await Browser.WaitForAsync(() => Browser.FindOrNull(".changes-panel .changed-file[data-path='hello.txt']"), TimeSpan.FromSeconds(10), "the changes panel to list hello.txt");
        Assert.Equal(folder, Browser.Driver.FindElement(By.CssSelector(".changes-panel")).GetAttribute("data-repository"));
        Assert.Equal("untracked", changed.GetAttribute("data-change"));
        Assert.Equal(["+Hello", "+wide world"], DiffLines(changed.FindElement(By.CssSelector(".diff-view"))));
        Assert.Equal([("1", "done")], Article(turnId).FindElements(By.CssSelector(".turn-checklist .checklist-item"))
            .Select(i => (i.GetAttribute("data-task-id")!, i.GetAttribute("data-status")!)));

        await Task.Delay(300);
        Browser.SaveScreenshot(Path.Combine(Shots, "review.png"));

        // On a phone the changes are a tab beside the conversation.
        using var phone = await Task.Run(Browser.StartPhone);
        await phone.OpenAsync($"{_konui.BaseUrl}/?session={Uri.EscapeDataString(_page.SessionId!)}");
        var tab = await Browser.WaitForAsync(() => phone.FindOrNull(".phone-tab[data-view='changes']"), TimeSpan.FromSeconds(10), "the Changes tab on a phone");
        Assert.Equal("Changes (1)", tab.Text);
        Assert.False(phone.Driver.FindElement(By.CssSelector(".changes-panel")).Displayed);
        Assert.True(phone.Driver.FindElement(By.CssSelector(".transcript")).Displayed);
        tab.Click();
        await Browser.WaitForAsync(() => phone.Driver.FindElement(By.CssSelector(".changes-panel")).Displayed ? "shown" : null, TimeSpan.FromSeconds(10), "the changes on a phone");
        Assert.False(phone.Driver.FindElement(By.CssSelector(".transcript")).Displayed);
        Assert.True(phone.Driver.FindElement(By.CssSelector(".changed-file[data-path='hello.txt'] .diff-view")).Displayed);
    }

    [Fact]
    public async Task A_command_that_fails_shows_its_output_and_its_exit_status()
    {
        Model.SetScript(ScriptedModelApi.Steps(
            ModelReply.Bash("echo building; echo 'error: missing semicolon' >&2; exit 2", "Build the project"),
            ModelReply.Text("The build failed: a semicolon is missing.")));

        var (_, turnId) = await _page.StartSessionAsync("Build it");

        Assert.Equal("ok", (await _page.WaitForEndAsync(turnId)).State);
        var run = Article(turnId).FindElement(By.CssSelector(".tool-call[data-review='command']"));
        Assert.Equal("2", run.GetAttribute("data-exit-code"));
        Assert.Contains("error", run.GetAttribute("class")!, StringComparison.Ordinal);
        Assert.Equal("exit 2", run.FindElement(By.CssSelector(".terminal-status")).Text);
        Assert.Equal("$ echo building; echo 'error: missing semicolon' >&2; exit 2", run.FindElement(By.CssSelector(".terminal-command")).Text);
        Assert.Equal("building\nerror: missing semicolon", run.FindElement(By.CssSelector(".terminal-output")).GetAttribute("textContent"));
        Assert.Matches(@"^\d+\.\d s$", run.FindElement(By.CssSelector(".review-duration")).Text);
    }

    [Fact]
    public async Task A_task_list_shows_pinned_above_the_prompt_box_while_the_turn_runs_and_in_its_turn_after()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var steps = new[]
        {
            TaskCreate("Write the parser", "Writing the parser"),
            TaskCreate("Test the parser", "Testing the parser"),
            TaskUpdate("1", "in_progress"),
            TaskUpdate("1", "completed"),
            TaskUpdate("2", "in_progress"),
            ModelReply.Text("The parser is written; its tests are next."),
        };
        Model.SetScript(async (request, cancel) =>
        {
            if (request.ToolResultCount == 3) await release.Task.WaitAsync(cancel);
            return steps[Math.Min(request.ToolResultCount, steps.Length - 1)];
        });

        var (_, turnId) = await _page.StartSessionAsync("Write the parser and test it");

        List<(string Id, string Status, string Text)> Pinned() => Browser.Driver.FindElements(By.CssSelector(".checklist-pin .checklist-item"))
            .Select(i => (i.GetAttribute("data-task-id")!, i.GetAttribute("data-status")!, i.FindElement(By.CssSelector(".checklist-subject")).Text)).ToList();
        await Browser.WaitForAsync(() => Pinned() is [("1", "in-progress", _), ("2", "pending", _)] ? "pinned" : null, DashboardPage.TurnLimit, "the task list pinned with #1 in progress");
        Assert.Equal([("1", "in-progress", "Writing the parser"), ("2", "pending", "Test the parser")], Pinned());
        Assert.Equal("running", _page.Turn(turnId)!.State);
        Assert.Contains("prompt-box", Browser.Run<string>("return document.querySelector('.checklist-pin').nextElementSibling.className;"), StringComparison.Ordinal);

        release.SetResult();

        Assert.Equal("ok", (await _page.WaitForEndAsync(turnId)).State);
        await Browser.WaitForAsync(() => Browser.FindOrNull(".checklist-pin") is null ? "gone" : null, TimeSpan.FromSeconds(10), "the pinned list to go when the turn ends");
        Assert.Equal([("1", "done"), ("2", "in-progress")], Article(turnId).FindElements(By.CssSelector(".turn-checklist .checklist-item"))
            .Select(i => (i.GetAttribute("data-task-id")!, i.GetAttribute("data-status")!)));
        Assert.Equal("1 of 2 done · 1 in progress", Article(turnId).FindElement(By.CssSelector(".turn-checklist .checklist-counts")).Text);
    }

    [Fact]
    public async Task The_slash_picker_lists_the_commands_of_the_sessions_init_and_inserts_one()
    {
        Model.SetScript(ScriptedModelApi.Echo);
        var (sessionId, turnId) = await _page.StartSessionAsync("Hello");
        await _page.WaitForEndAsync(turnId);
        var commands = (await _konui.Konui.Konsole.GetSessionAsync(sessionId)).SlashCommands!;
        Assert.Contains("compact", commands);

        _page.PromptBox.SendKeys("/");

        await Browser.WaitForAsync(() => PickerOptions().Count == Math.Min(commands.Count, 50) ? "listed" : null, TimeSpan.FromSeconds(10), "the slash picker to list the commands");
        Assert.Equal(commands.Take(50).Select(c => "/" + c), PickerOptions());
        _page.PromptBox.SendKeys("compa");
        await Browser.WaitForAsync(() => PickerOptions() is ["/compact", ..] ? "compact" : null, TimeSpan.FromSeconds(10), "/compact first");
        _page.PromptBox.SendKeys(Keys.Enter);

        await Browser.WaitForAsync(() => PromptText == "/compact " ? "inserted" : null, TimeSpan.FromSeconds(10), "/compact in the prompt box");
        await Browser.WaitForAsync(() => Browser.FindOrNull(".composer-picker") is null ? "closed" : null, TimeSpan.FromSeconds(10), "the picker to close");

        new Actions(Browser.Driver).KeyDown(Keys.Control).SendKeys(_page.PromptBox, "a").KeyUp(Keys.Control).SendKeys(Keys.Backspace).SendKeys("/").Perform();
        await Browser.WaitForAsync(() => PickerOptions().Count > 0 ? "open" : null, TimeSpan.FromSeconds(10), "the picker again");
        _page.PromptBox.SendKeys(Keys.Escape);
        await Browser.WaitForAsync(() => Browser.FindOrNull(".composer-picker") is null ? "closed" : null, TimeSpan.FromSeconds(10), "Esc to close the picker");
        Assert.Equal("/", PromptText);
        Assert.Equal("idle", Browser.Driver.FindElement(By.CssSelector(".status-bar .status-turn")).GetAttribute("data-state"));
    }

    [Fact]
    public async Task An_at_completes_a_path_in_the_sessions_folder_by_keyboard()
    {
        var folder = await _konui.NewRepositoryAsync("handbook");
        Directory.CreateDirectory(Path.Combine(folder, "guide"));
        await File.WriteAllTextAsync(Path.Combine(folder, "guide", "getting-started.md"), "# Getting started\n");
        Model.SetScript(ScriptedModelApi.Echo);
        await OpenNewSessionInAsync(folder);
        await _page.WaitForEndAsync(await _page.SendAsync("Hello"));

        _page.PromptBox.SendKeys("Summarize @gui");

        await Browser.WaitForAsync(() => PickerOptions() is ["guide/"] ? "guide/" : null, TimeSpan.FromSeconds(10), "the folder guide/ offered");
        _page.PromptBox.SendKeys(Keys.Tab);
        await Browser.WaitForAsync(() => PromptText == "Summarize @guide/" ? "folder" : null, TimeSpan.FromSeconds(10), "the folder completed");
        await Browser.WaitForAsync(() => PickerOptions() is ["guide/getting-started.md"] ? "file" : null, TimeSpan.FromSeconds(10), "the folder's file offered");
        _page.PromptBox.SendKeys(Keys.Enter);

        await Browser.WaitForAsync(() => PromptText == "Summarize @guide/getting-started.md " ? "file" : null, TimeSpan.FromSeconds(10), "the file completed");
        await Browser.WaitForAsync(() => Browser.FindOrNull(".composer-picker") is null ? "closed" : null, TimeSpan.FromSeconds(10), "the picker to close");
    }
}
