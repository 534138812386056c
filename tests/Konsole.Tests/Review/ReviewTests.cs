using System.Text.Json.Nodes;
using Konui.Core.Transcripts;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Review;

/// <summary>One Konui with the real CLI that may edit files and run Bash without asking, for the review tests.</summary>
public sealed class EditingClaudeFixture : IAsyncLifetime
{
    public KonuiWithClaude Rig { get; private set; } = null!;

    public async Task InitializeAsync() => Rig = await KonuiWithClaude.StartAsync(settings: new Dictionary<string, string>
    {
        ["Konsole__PermissionMode"] = "acceptEdits",
        ["Konsole__AllowedTools__0"] = "Bash",
    });

    public Task DisposeAsync() => Rig is null ? Task.CompletedTask : Rig.DisposeAsync().AsTask();
}

/// <summary>What a review shows of the real CLI's tool calls, served by konsole and folded as the Dashboard folds them.</summary>
public sealed class ReviewTests(EditingClaudeFixture fixture) : IClassFixture<EditingClaudeFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    private string Work => Path.Combine(Rig.Home, "work");

    private async Task<Transcript> RunAsync(string prompt, params ModelReply[] steps)
    {
        Rig.Model.SetScript(ScriptedModelApi.Steps(steps));
        var (turn, events) = await Rig.RunAsync(prompt);
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success, string.Join(", ", events.OfType<ToolResult>().Select(r => r.Content)));
        var transcript = new Transcript();
        foreach (var turnEvent in events) Assert.Equal(ApplyOutcome.Applied, transcript.Apply(turn.TurnId, turnEvent));
        return transcript;
    }

    [Fact]
    public async Task A_turn_that_writes_then_edits_a_file_shows_each_change_as_a_diff_with_the_files_line_numbers()
    {
        var file = Path.Combine(Work, "poem.txt");
        var transcript = await RunAsync("Write a poem, then fix it",
            ModelReply.Write(file, "roses are red\nviolets are green\nthe end\n"),
            ModelReply.Edit(file, "violets are green", "violets are blue\nsugar is sweet"),
            ModelReply.Text("Written and fixed."));

        var calls = transcript.Turns.Single().Items.OfType<ToolCall>().ToList();
        var written = Assert.IsType<FileEdit>(calls[0].Review).Diff;
        var edited = Assert.IsType<FileEdit>(calls[1].Review).Diff;

        Assert.Equal((file, true, 3), (written.Path, written.IsNewFile, written.AddedCount));
        Assert.Equal([1, 2, 3], written.Hunks.Single().Lines.Select(l => l.NewNumber!.Value));
        Assert.Equal((file, 2, 1, true), (edited.Path, edited.AddedCount, edited.RemovedCount, edited.HasFileLineNumbers));
        Assert.Equal(
            [(DiffLineKind.Context, "roses are red", 1, 1), (DiffLineKind.Removed, "violets are green", 2, null), (DiffLineKind.Added, "violets are blue", null, 2),
             (DiffLineKind.Added, "sugar is sweet", null, 3), (DiffLineKind.Context, "the end", 3, 4)],
            edited.Hunks.Single().Lines.Select(l => (l.Kind, l.Text, l.OldNumber, l.NewNumber)));
        Assert.Equal("roses are red\nviolets are blue\nsugar is sweet\nthe end\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task A_task_list_created_and_updated_is_the_sessions_checklist()
    {
        var transcript = await RunAsync("Plan the work",
            ModelReply.ToolUse("TaskCreate", new JsonObject { ["subject"] = "Write the parser", ["description"] = "The parser", ["activeForm"] = "Writing the parser" })
                .ThenToolUse("TaskCreate", new JsonObject { ["subject"] = "Test the parser", ["description"] = "Its tests", ["activeForm"] = "Testing the parser" }),
            ModelReply.Text("placeholder: the two creates return together"),
            ModelReply.ToolUse("TaskUpdate", new JsonObject { ["taskId"] = "1", ["status"] = "completed" }),
            ModelReply.ToolUse("TaskUpdate", new JsonObject { ["taskId"] = "2", ["status"] = "in_progress" }),
            ModelReply.Text("On it."));

        var list = transcript.Checklist!;
        Assert.Equal([("1", "Write the parser", ChecklistStatus.Done), ("2", "Test the parser", ChecklistStatus.InProgress)],
            list.Items.Select(i => (i.Id, i.Subject, i.Status)));
        Assert.Equal("Testing the parser", list.Items[1].ActiveForm);
        Assert.Same(list, transcript.ChecklistChangedBy(transcript.Turns.Single().TurnId));
    }

    [Fact]
    public async Task A_failing_command_shows_its_output_its_exit_status_and_how_long_it_ran()
    {
        var transcript = await RunAsync("Run the check",
            ModelReply.Bash("echo checking; sleep 0.3; echo broken >&2; exit 7", "Run the check"),
            ModelReply.Text("It failed."));

        var call = transcript.Turns.Single().Items.OfType<ToolCall>().Single();
        var run = Assert.IsType<CommandRun>(call.Review);

        Assert.Equal(("echo checking; sleep 0.3; echo broken >&2; exit 7", "Run the check"), (run.Command, run.Description));
        Assert.Equal((7, true), (run.ExitCode, run.Failed));
        Assert.Contains("checking", run.Output, StringComparison.Ordinal);
        Assert.Contains("broken", run.Output, StringComparison.Ordinal);
        Assert.True(call.IsError);
        Assert.InRange(call.Duration!.Value, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(30));
    }
}
