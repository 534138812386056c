using System.Text.Json;
using Konui.Core.Tests.Turns;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Transcripts;

/// <summary>What a review shows of each tool call, from the real CLI's recordings as konsole serves them.</summary>
public sealed class ToolReviewTests
{
    private const string Review = "v2.1.197-review/";

    private static string Describe(DiffLine line) => FileDiffTests.Describe(line);

    private static FileDiff DiffOf(ToolCall call) => Assert.IsType<FileEdit>(call.Review).Diff;

    [Fact]
    public void A_written_file_is_every_line_added_and_an_edit_is_claude_codes_own_patch_with_the_files_line_numbers()
    {
        var turn = ServedTurn.Fold(ServedTurn.Events(Review + "edits.jsonl"));
        var writes = ServedTurn.Calls(turn, "Write");
        var edits = ServedTurn.Calls(turn, "Edit");

        var created = DiffOf(writes[0]);
        Assert.Equal(("/home/dev/project/a.txt", true, 3, 0), (created.Path, created.IsNewFile, created.AddedCount, created.RemovedCount));
        Assert.Equal([". 1 +one", ". 2 +two", ". 3 +three"], created.Hunks.Single().Lines.Select(Describe));

        var edited = DiffOf(edits[0]);
        Assert.Equal("@@ -1,3 +1,4 @@", edited.Hunks.Single().Header);
        Assert.Equal(["1 1  one", "2 . -two", ". 2 +TWO", ". 3 +2.5", "3 4  three"], edited.Hunks.Single().Lines.Select(Describe));
        Assert.True(edited.HasFileLineNumbers);

        var overwritten = DiffOf(writes[1]);
        Assert.False(overwritten.IsNewFile);
        Assert.Equal(["1 1  alpha", "2 . -beta", ". 2 +BETA!", "3 3  gamma", "4 . -delta"], overwritten.Hunks.Single().Lines.Select(Describe));
    }

    [Fact]
    public void A_failed_edit_shows_what_it_tried_from_its_input_with_numbers_counted_in_the_snippet()
    {
        var turn = ServedTurn.Fold(ServedTurn.Events(Review + "edits.jsonl"));

        var failed = ServedTurn.Calls(turn, "Edit").Last();

        Assert.True(failed.IsError);
        Assert.StartsWith("<tool_use_error>String to replace not found", failed.Result, StringComparison.Ordinal);
        var tried = DiffOf(failed);
        Assert.False(tried.HasFileLineNumbers);
        Assert.Equal(["1 . -nothere", ". 1 +x"], tried.Hunks.Single().Lines.Select(Describe));
    }

    [Fact]
    public void The_turn_log_keeps_claude_codes_report_without_the_copies_of_whole_files()
    {
        var results = Recordings.Parse(Review + "edits.jsonl").OfType<ToolResult>().ToList();

        var edit = results[1].ToolUseResult!.Value;
        Assert.True(edit.TryGetProperty("structuredPatch", out _));
        Assert.False(edit.TryGetProperty("originalFile", out _));
        Assert.False(results[0].ToolUseResult!.Value.TryGetProperty("content", out _));
        var read = results[2].ToolUseResult!.Value.GetProperty("file");
        Assert.Equal((5, false), (read.GetProperty("numLines").GetInt32(), read.TryGetProperty("content", out _)));
        Assert.Null(results[^1].ToolUseResult);
        var line = Recordings.Lines(Review + "edits.jsonl").First(l => l.Contains("\"oldString\"", StringComparison.Ordinal));
        Assert.Contains("\"originalFile\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_that_was_asked_about_shows_its_diff_at_the_decision_and_after()
    {
        var events = ServedTurn.Events("v2.1.197-permissions/permission-write-allow.jsonl");
        var transcript = new Transcript();
        var asked = events.TakeWhile(e => e is not ToolResult).ToList();

        var before = DiffOf(ServedTurn.Fold(asked, transcript).Items.OfType<ToolCall>().Single());
        foreach (var turnEvent in events.Skip(asked.Count)) transcript.Apply("t1", turnEvent);
        var after = DiffOf(transcript.Find("t1")!.Items.OfType<ToolCall>().Single());

        Assert.Equal(("notes.txt", 1, false), (before.Path, before.AddedCount, before.IsNewFile));
        Assert.Equal(". 1 +hello from the model", Describe(ServedTurn.Fold(asked, new Transcript()).Items.OfType<ToolCall>().Single().Decision!.Change!.Hunks.Single().Lines.Single()));
        Assert.Equal(("notes.txt", 1, true), (after.Path, after.AddedCount, after.IsNewFile));
        Assert.Equal(". 1 +hello from the model", Describe(after.Hunks.Single().Lines.Single()));
    }

    [Fact]
    public void A_failing_command_shows_its_exit_code_and_output_and_a_good_one_exit_zero_with_how_long_it_ran()
    {
        var turn = ServedTurn.Fold(ServedTurn.Events(Review + "bash.jsonl"));
        var runs = ServedTurn.Calls(turn, "Bash");

        var failed = Assert.IsType<CommandRun>(runs[0].Review);
        Assert.Equal(("echo out; echo err >&2; exit 3", "Fail on purpose"), (failed.Command, failed.Description));
        Assert.Equal((3, true, "out\nerr", 2), (failed.ExitCode, failed.Failed, failed.Output, failed.OutputLineCount));
        Assert.True(runs[0].IsError);

        var fine = Assert.IsType<CommandRun>(runs[1].Review);
        Assert.Equal((0, false, "fine", (string?)null), (fine.ExitCode, fine.Failed, fine.Output, fine.Stderr));
        Assert.Equal("only-err", Assert.IsType<CommandRun>(runs[2].Review).Output);

        Assert.All(runs, r => Assert.True(r.Duration > TimeSpan.Zero));
        Assert.Equal(runs[3].FinishedAt - runs[3].StartedAt, runs[3].Duration);
    }

    [Fact]
    public void A_command_still_running_has_no_exit_code_and_one_that_was_denied_none_either()
    {
        var events = ServedTurn.Events(Review + "bash.jsonl");
        var running = ServedTurn.Fold(events.TakeWhile(e => e is not ToolResult).ToList());
        var denied = ServedTurn.Fold(ServedTurn.Events("v2.1.197-permissions/permission-bash-deny.jsonl"));

        var run = Assert.IsType<CommandRun>(Assert.Single(ServedTurn.Calls(running, "Bash")).Review);
        Assert.Equal((null, "", false), (run.ExitCode, run.Output, run.Failed));
        Assert.Null(ServedTurn.Calls(running, "Bash")[0].Duration);
        var refused = Assert.IsType<CommandRun>(Assert.Single(ServedTurn.Calls(denied, "Bash")).Review);
        Assert.Equal((null, "The user said no from the dashboard."), (refused.ExitCode, refused.Output));
    }

    [Fact]
    public void Reads_searches_and_fetches_are_one_line_each_saying_what_they_looked_at_and_found()
    {
        var turn = ServedTurn.Fold(ServedTurn.Events(Review + "reads.jsonl"));

        var lines = turn.Items.OfType<ToolCall>().Select(c => (c.Name, c.Review as ToolLookup)).ToList();

        Assert.Equal(
        [
            ("Read", new ToolLookup("/home/dev/project/notes.md", null, "4 lines")),
            ("Grep", new ToolLookup("TODO", "/home/dev/project", "1 file")),
            ("Grep", new ToolLookup("TODO", "/home/dev/project", "2 lines")),
            ("Glob", new ToolLookup("**/*.txt", null, "1 file")),
            ("WebFetch", new ToolLookup("http://127.0.0.1:9555/page", "Summarize", null)),
            ("WebSearch", new ToolLookup("konui dashboard", null, null)),
        ], lines);
        Assert.True(ServedTurn.Calls(turn, "WebFetch").Single().IsError);
    }

    [Fact]
    public void A_read_of_part_of_a_file_says_which_lines()
    {
        using var input = JsonDocument.Parse("""{"file_path": "/p/big.cs", "offset": 100, "limit": 50}""");
        using var result = JsonDocument.Parse("""{"type": "text", "file": {"filePath": "/p/big.cs", "numLines": 50, "startLine": 100, "totalLines": 900}}""");
        var events = ServedTurn.Events([
            new AssistantBlock("m1", 0, "tool_use", null, "toolu_1", "Read", input.RootElement.Clone(), "claude-test", null, false),
            new ToolResult("toolu_1", "100\t...", false, result.RootElement.Clone()),
        ]);

        var call = ServedTurn.Fold(events).Items.OfType<ToolCall>().Single();

        Assert.Equal(new ToolLookup("/p/big.cs", "lines 100–149", "lines 100–149 of 900"), call.Review);
    }

    [Fact]
    public void Other_tools_keep_their_generic_block()
    {
        var turn = ServedTurn.Fold(ServedTurn.Events("v2.1.197-permissions/ask-user-question.jsonl"));

        Assert.Null(turn.Items.OfType<ToolCall>().Single().Review);
    }

    [Fact]
    public void The_session_offers_the_slash_commands_of_its_latest_init_and_says_where_it_runs()
    {
        var transcript = new Transcript();
        ServedTurn.Fold(ServedTurn.Events(Review + "bash.jsonl"), transcript);

        Assert.Contains("compact", transcript.SlashCommands);
        Assert.Contains("code-review", transcript.SlashCommands);
        Assert.DoesNotContain(transcript.SlashCommands, c => c.StartsWith('/'));
        Assert.Equal("/home/dev/project", transcript.WorkingDirectory);
        Assert.Empty(new Transcript().SlashCommands);
    }
}
