using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Konui.Blazor.Tests.Dashboard;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using DashboardPage = Konui.Blazor.Components.Pages.Dashboard.Dashboard;

namespace Konui.Blazor.Tests.Review;

/// <summary>
/// Tool calls drawn for review on the Dashboard, from the real CLI's recordings (Fixtures/claude-cli/v2.1.197-review):
/// edits as diffs, commands as terminals, the agent's task list, and lookups as one line each.
/// </summary>
public sealed class ToolCallReviewTests : DashboardTest
{
    private const string Review = "v2.1.197-review/";

    /// <summary>A recording served as konsole serves it, its events one second apart (so a call's duration is known).</summary>
    private IRenderedComponent<DashboardPage> OpenRecording(string recording, string prompt = "Review it")
    {
        var events = Timed(TurnEvents("t1", Lines(Review + recording), prompt, Now.AddMinutes(-5), new TurnEnd(true, null, new TurnTiming { TotalMs = 9000 }, 0.01)));
        Konsole.EventsByTurnId["t1"] = events;
        Konsole.TurnsBySession[SessionId] = [new TurnSummary("t1", SessionId, "req-t1", prompt, Now.AddMinutes(-5), Now, TurnState.Ended, true, null, null, 0.01, null, null, events.Count)];
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find("article.turn .turn-result"));
        return page;
    }

    private static List<TurnEvent> Timed(List<TurnEvent> events) => events.Select((e, i) => e with { At = Now.AddMinutes(-5).AddSeconds(i) }).ToList();

    private static List<string> DiffLines(IElement diff) =>
        diff.QuerySelectorAll("tr.diff-line").Select(row => string.Join(" ", row.Children.Select(c => c.TextContent))).ToList();

    [Fact]
    public void Writes_and_edits_show_as_diffs_without_a_click_with_the_files_line_numbers()
    {
        var page = OpenRecording("edits.jsonl");

        var edits = page.FindAll(".tool-call[data-review='edit']");
        Assert.Equal(["Write", "Edit", "Edit", "Write", "Edit"], edits.Select(e => e.GetAttribute("data-tool")));
        Assert.All(edits, e => Assert.Equal("SECTION", e.TagName));
        Assert.Empty(page.FindAll("details.tool-call[data-tool='Write'], details.tool-call[data-tool='Edit']"));

        var created = edits[0].QuerySelector(".diff-view")!;
        Assert.Equal("/home/dev/project/a.txt", created.QuerySelector(".diff-path")!.TextContent);
        Assert.Equal("new file", created.QuerySelector(".diff-new-file")!.TextContent);
        Assert.Equal(["1 + one", "2 + two", "3 + three"], DiffLines(created).Select(l => l.Trim()));
        Assert.Equal("done", edits[0].QuerySelector(".tool-status")!.TextContent);
        Assert.Equal("1.0 s", edits[0].QuerySelector(".review-duration")!.TextContent);

        var edited = edits[1].QuerySelector(".diff-view")!;
        Assert.Equal("@@ -1,3 +1,4 @@", edited.QuerySelector(".diff-hunk")!.TextContent);
        Assert.Equal(["1 1   one", "2  - two", " 2 + TWO", " 3 + 2.5", "3 4   three"], DiffLines(edited));
        Assert.Equal("+2 −1", edited.QuerySelector(".diff-counts")!.TextContent);
    }

    [Fact]
    public void An_edit_that_failed_says_it_was_not_made_and_why_under_what_it_tried()
    {
        var page = OpenRecording("edits.jsonl");

        var failed = page.FindAll(".tool-call[data-review='edit']")[4];

        Assert.Contains("error", failed.ClassList);
        Assert.Equal("failed", failed.QuerySelector(".tool-status")!.TextContent);
        Assert.Equal("Not made; what it would have changed:", failed.QuerySelector(".review-note")!.TextContent);
        Assert.Equal(["1  - nothere", " 1 + x"], DiffLines(failed.QuerySelector(".diff-view")!));
        Assert.Equal("<tool_use_error>String to replace not found in file.\nString: nothere</tool_use_error>", failed.QuerySelector(".tool-result")!.TextContent);
    }

    [Fact]
    public void A_long_diff_shows_its_first_40_lines_and_the_rest_on_request()
    {
        var content = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"line {i}")) + "\n";
        var input = new JsonObject { ["file_path"] = "/home/dev/project/long.txt", ["content"] = content }.ToJsonString();
        Konsole.AddTurn(new TurnScript("t_long", SessionId, "req_long", "Write a long file", Now.AddMinutes(-2)).Init()
            .Tool("Write", input, "File created successfully at: /home/dev/project/long.txt").End(true, 2000, 0.01));
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find("article.turn .turn-result"));

        var diff = page.Find(".tool-call[data-review='edit'] .diff-view");
        Assert.Equal(40, diff.QuerySelectorAll("tr.diff-line").Length);
        Assert.Equal("line 40", diff.QuerySelectorAll("tr.diff-line .diff-text")[^1].TextContent);
        page.Find(".diff-show-all").Click();

        page.WaitForAssertion(() => Assert.Equal(100, page.FindAll(".tool-call[data-review='edit'] tr.diff-line").Count));
        Assert.Empty(page.FindAll(".diff-show-all"));
    }

    [Fact]
    public void A_failing_command_is_a_terminal_with_its_command_output_exit_status_and_duration()
    {
        var page = OpenRecording("bash.jsonl");

        var runs = page.FindAll(".tool-call[data-review='command']");
        Assert.Equal(4, runs.Count);
        var failed = runs[0];
        Assert.Equal("3", failed.GetAttribute("data-exit-code"));
        Assert.Contains("error", failed.ClassList);
        Assert.Equal("$ echo out; echo err >&2; exit 3", failed.QuerySelector(".terminal-command")!.TextContent);
        Assert.Equal("Fail on purpose", failed.QuerySelector(".terminal-description")!.TextContent);
        Assert.Equal("exit 3", failed.QuerySelector(".terminal-status")!.TextContent);
        Assert.Contains("failed", failed.QuerySelector(".terminal-status")!.ClassList);
        Assert.Equal("out\nerr", failed.QuerySelector(".terminal-output")!.TextContent);
        Assert.Equal("1.0 s", failed.QuerySelector(".review-duration")!.TextContent);

        Assert.Equal(("0", "exit 0", "fine"), (runs[1].GetAttribute("data-exit-code"), runs[1].QuerySelector(".terminal-status")!.TextContent, runs[1].QuerySelector(".terminal-output")!.TextContent));
        Assert.DoesNotContain("error", runs[1].ClassList);
    }

    [Fact]
    public void Long_command_output_shows_its_last_20_lines_and_all_of_it_on_request()
    {
        var output = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"test {i} passed"));
        Konsole.AddTurn(new TurnScript("t_tests", SessionId, "req_tests", "Run the tests", Now.AddMinutes(-2)).Init()
            .Tool("Bash", """{"command":"npm test","description":"Run the tests"}""", output).End(true, 2000, 0.01));
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find("article.turn .turn-result"));

        var shown = page.Find(".tool-call[data-review='command'] .terminal-output").TextContent.Split('\n');
        Assert.Equal(20, shown.Length);
        Assert.Equal(("test 81 passed", "test 100 passed"), (shown[0], shown[^1]));
        Assert.Equal("Show all 100 lines (80 earlier)", page.Find(".terminal-show-all").TextContent);
        page.Find(".terminal-show-all").Click();

        page.WaitForAssertion(() => Assert.Equal(output, page.Find(".tool-call[data-review='command'] .terminal-output").TextContent));
        Assert.Empty(page.FindAll(".terminal-show-all"));
    }

    [Fact]
    public void Task_list_calls_are_one_line_each_and_the_turn_shows_the_list_as_it_left_it()
    {
        var page = OpenRecording("tasks.jsonl");

        var steps = page.FindAll("details.tool-call[data-review='task']");
        Assert.Equal(
        [
            "TaskCreate + Write the parser",
            "TaskCreate + Test the parser",
            "TaskUpdate #1 → in progress",
            "TaskUpdate #1 → done",
            "TaskUpdate #2 Test the parser well → in progress",
            "TaskList 2 tasks: 1 done",
            "TaskUpdate #2 removed",
        ], steps.Select(s => string.Join(" ", s.QuerySelector("summary")!.Children.Select(c => c.TextContent))));
        Assert.All(steps, s => Assert.False(s.HasAttribute("open")));
        Assert.Equal("Task #1 created successfully: Write the parser", steps[0].QuerySelector(".tool-result")!.TextContent);

        var checklist = page.Find("article.turn .turn-checklist");
        Assert.Equal("1 of 1 done", checklist.QuerySelector(".checklist-counts")!.TextContent);
        Assert.Equal([("1", "done", "Write the parser")], Items(checklist));
        Assert.Equal("turn-result", checklist.NextElementSibling!.ClassList[0]);
    }

    [Fact]
    public void While_a_turn_runs_its_task_list_is_pinned_above_the_prompt_box_and_follows_each_change()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        var events = TurnEvents("live", Lines(Review + "tasks.jsonl"), "Plan and do it", Now, new TurnEnd(true, null, new TurnTiming { TotalMs = 3000 }, 0.01));
        var results = events.Select((e, i) => (e, i)).Where(x => x.e is ToolResult).Select(x => x.i).ToList();
        Assert.Empty(page.FindAll(".checklist-pin"));

        foreach (var turnEvent in events.Take(results[2] + 1)) Publish("live", turnEvent);

        page.WaitForAssertion(() => Assert.Equal([("1", "in-progress", "Writing the parser"), ("2", "pending", "Test the parser")], Items(page.Find(".checklist-pin .checklist"))));
        Assert.Equal("0 of 2 done · 1 in progress", page.Find(".checklist-pin .checklist-counts").TextContent);
        Assert.Equal("prompt-box", page.Find(".checklist-pin").NextElementSibling!.ClassList[0]);
        Assert.Empty(page.FindAll("article.turn .checklist"));

        foreach (var turnEvent in events.Skip(results[2] + 1).Take(results[4] - results[2])) Publish("live", turnEvent);

        page.WaitForAssertion(() => Assert.Equal([("1", "done", "Write the parser"), ("2", "in-progress", "Testing the parser")], Items(page.Find(".checklist-pin .checklist"))));

        foreach (var turnEvent in events.Skip(results[4] + 1)) Publish("live", turnEvent);

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".checklist-pin")));
        page.WaitForAssertion(() => Assert.Equal([("1", "done", "Write the parser")], Items(page.Find("article.turn .turn-checklist"))));
    }

    [Fact]
    public void Reads_searches_and_fetches_are_one_line_each_with_the_result_folded()
    {
        var page = OpenRecording("reads.jsonl");

        var lookups = page.FindAll("details.tool-call[data-review='lookup']");
        Assert.Equal(
        [
            "Read /home/dev/project/notes.md 4 lines",
            "Grep TODO /home/dev/project 1 file",
            "Grep TODO /home/dev/project 2 lines",
            "Glob **/*.txt 1 file",
            "WebFetch http://127.0.0.1:9555/page Summarize failed",
            "WebSearch konui dashboard",
        ], lookups.Select(l => string.Join(" ", l.QuerySelector("summary")!.Children.Select(c => c.TextContent))));
        Assert.All(lookups, l => Assert.False(l.HasAttribute("open")));
        Assert.StartsWith("1\t", lookups[0].QuerySelector(".tool-result")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("error", lookups[4].ClassList);
    }

    [Fact]
    public void A_tool_with_nothing_to_review_keeps_the_block_with_its_input_and_result()
    {
        var page = OpenWith(Lines("mcp-noallow.jsonl"));

        var call = page.Find("details.tool-call[data-tool='mcp__konui__konui_create_task']");
        Assert.False(call.HasAttribute("data-review"));
        Assert.NotNull(call.QuerySelector(".tool-input"));
    }

    private IRenderedComponent<DashboardPage> OpenWith(IEnumerable<string> lines)
    {
        AddEndedTurn("t1", lines, "Make a card", Now.AddMinutes(-5));
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find("article.turn .turn-result"));
        return page;
    }

    private static List<(string Id, string Status, string Text)> Items(IElement checklist) =>
        checklist.QuerySelectorAll(".checklist-item")
            .Select(i => (i.GetAttribute("data-task-id")!, i.GetAttribute("data-status")!, i.QuerySelector(".checklist-subject")!.TextContent))
            .ToList();
}
