using System.Text.Json;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Transcripts;

/// <summary>The agent's task list of a session, folded from its TaskCreate/TaskUpdate (and TodoWrite) calls across turns.</summary>
public sealed class ChecklistTests
{
    private static string Describe(Checklist? list) =>
        list is null ? "none" : string.Join(", ", list.Items.Select(i => $"#{i.Id} {i.Subject} [{i.Status}]"));

    private static AssistantBlock Call(string id, string tool, string input)
    {
        using var document = JsonDocument.Parse(input);
        return new AssistantBlock("m-" + id, 0, "tool_use", null, id, tool, document.RootElement.Clone(), "claude-test", null, false);
    }

    private static ToolResult Result(string id, string content, string? toolUseResult = null, bool isError = false)
    {
        if (toolUseResult is null) return new ToolResult(id, content, isError);
        using var document = JsonDocument.Parse(toolUseResult);
        return new ToolResult(id, content, isError, document.RootElement.Clone());
    }

    /// <summary>A second turn that starts task 2 (TaskUpdate as the CLI answers it) and fails to update an unknown one.</summary>
    private static List<TurnEvent> StartSecondTask(DateTimeOffset at) => ServedTurn.Events(
    [
        Call("toolu_u2", "TaskUpdate", """{"taskId": "2", "status": "in_progress"}"""),
        Result("toolu_u2", "Updated task #2 status", """{"success": true, "taskId": "2", "updatedFields": ["status"], "statusChange": {"from": "pending", "to": "in_progress"}}"""),
        Call("toolu_u9", "TaskUpdate", """{"taskId": "9", "status": "completed"}"""),
        Result("toolu_u9", "<tool_use_error>Task not found</tool_use_error>", isError: true),
    ], turnId: "t2", startedAt: at);

    [Fact]
    public void Three_created_tasks_are_the_sessions_checklist_pending_and_the_turn_that_made_them_shows_it()
    {
        var transcript = new Transcript();
        ServedTurn.Fold(ServedTurn.Events("v2.1.197-permissions/task-list.jsonl"), transcript);

        var list = transcript.Checklist!;

        Assert.Equal("#1 Write the parser [Pending], #2 Test the parser [Pending], #3 Ship the parser [Pending]", Describe(list));
        Assert.Equal(("Write the parsering", "Write the parser for the parser"), (list.Items[0].ActiveForm, list.Items[0].Description));
        Assert.Equal((3, 0, 0), (list.PendingCount, list.InProgressCount, list.DoneCount));
        Assert.Equal("t1", list.TurnId);
        Assert.Same(list, transcript.ChecklistChangedBy("t1"));
        var created = Assert.IsType<ChecklistStep>(ServedTurn.Calls(transcript.Find("t1")!, "TaskCreate")[2].Review);
        Assert.Equal((ChecklistStepKind.Create, "3", "Ship the parser"), (created.Kind, created.TaskId, created.Subject));
    }

    [Fact]
    public void Updates_move_tasks_to_in_progress_and_done_rename_them_and_a_deleted_one_leaves_the_list()
    {
        var transcript = new Transcript();
        var events = ServedTurn.Events("v2.1.197-review/tasks.jsonl");
        var seen = new List<string>();
        foreach (var turnEvent in events)
        {
            transcript.Apply("t1", turnEvent);
            if (turnEvent is ToolResult && Describe(transcript.Checklist) is var now && (seen.Count == 0 || seen[^1] != now)) seen.Add(now);
        }

        Assert.Equal(
        [
            "#1 Write the parser [Pending]",
            "#1 Write the parser [Pending], #2 Test the parser [Pending]",
            "#1 Write the parser [InProgress], #2 Test the parser [Pending]",
            "#1 Write the parser [Done], #2 Test the parser [Pending]",
            "#1 Write the parser [Done], #2 Test the parser well [InProgress]",
            "#1 Write the parser [Done]",
        ], seen);
        Assert.Equal("Writing the parser", transcript.Checklist!.Items[0].ActiveForm);
    }

    [Fact]
    public void Each_turn_that_changes_the_list_shows_it_as_it_left_it_and_the_list_follows_every_turn_in_order()
    {
        var transcript = new Transcript();
        ServedTurn.Fold(ServedTurn.Events("v2.1.197-permissions/task-list.jsonl"), transcript);
        ServedTurn.Fold(ServedTurn.Events([Call("toolu_t", "Bash", """{"command": "true"}"""), Result("toolu_t", "")], turnId: "t-between", startedAt: ServedTurn.T0.AddMinutes(1)), transcript);
        ServedTurn.Fold(StartSecondTask(ServedTurn.T0.AddMinutes(2)), transcript);

        Assert.Equal("#1 Write the parser [Pending], #2 Test the parser [InProgress], #3 Ship the parser [Pending]", Describe(transcript.Checklist));
        Assert.Equal(("t2", "toolu_u2"), (transcript.Checklist!.TurnId, transcript.Checklist.ToolUseId));
        Assert.Equal("#1 Write the parser [Pending], #2 Test the parser [Pending], #3 Ship the parser [Pending]", Describe(transcript.ChecklistAsOf("t1")));
        Assert.Same(transcript.ChecklistAsOf("t1"), transcript.ChecklistAsOf("t-between"));
        Assert.Null(transcript.ChecklistChangedBy("t-between"));
        Assert.Same(transcript.Checklist, transcript.ChecklistChangedBy("t2"));
    }

    [Fact]
    public void A_turn_loaded_after_a_later_one_still_comes_first_in_the_list()
    {
        var transcript = new Transcript();
        ServedTurn.Fold(StartSecondTask(ServedTurn.T0.AddMinutes(2)), transcript);
        Assert.Equal("#2 Task #2 [InProgress]", Describe(transcript.Checklist));

        ServedTurn.Fold(ServedTurn.Events("v2.1.197-permissions/task-list.jsonl"), transcript);

        Assert.Equal("#1 Write the parser [Pending], #2 Test the parser [InProgress], #3 Ship the parser [Pending]", Describe(transcript.Checklist));
    }

    [Fact]
    public void A_task_list_that_reports_the_list_as_it_is_changes_nothing()
    {
        var transcript = new Transcript();
        ServedTurn.Fold(ServedTurn.Events("v2.1.197-permissions/task-list.jsonl"), transcript);
        ServedTurn.Fold(ServedTurn.Events(
        [
            Call("toolu_l", "TaskList", "{}"),
            Result("toolu_l", "#1 [pending] Write the parser\n#2 [pending] Test the parser\n#3 [pending] Ship the parser",
                """{"tasks": [{"id": "1", "subject": "Write the parser", "status": "pending", "blockedBy": []}, {"id": "2", "subject": "Test the parser", "status": "pending", "blockedBy": []}, {"id": "3", "subject": "Ship the parser", "status": "pending", "blockedBy": []}]}"""),
        ], turnId: "t-list", startedAt: ServedTurn.T0.AddMinutes(1)), transcript);

        Assert.Null(transcript.ChecklistChangedBy("t-list"));
        Assert.Equal("t1", transcript.Checklist!.TurnId);
        Assert.Equal("Write the parsering", transcript.Checklist.Items[0].ActiveForm);
    }

    [Fact]
    public void TodoWrite_gives_the_whole_list_each_time()
    {
        var transcript = new Transcript();
        ServedTurn.Fold(ServedTurn.Events(
        [
            Call("toolu_w1", "TodoWrite", """{"todos": [{"content": "Read the code", "status": "completed", "activeForm": "Reading the code"}, {"content": "Fix the bug", "status": "in_progress", "activeForm": "Fixing the bug"}, {"content": "Run the tests", "status": "pending", "activeForm": "Running the tests"}]}"""),
            Result("toolu_w1", "Todos have been modified successfully."),
            Call("toolu_w2", "TodoWrite", """{"todos": [{"content": "Read the code", "status": "completed"}, {"content": "Fix the bug", "status": "completed"}]}"""),
            Result("toolu_w2", "Todos have been modified successfully."),
        ]), transcript);

        Assert.Equal("#1 Read the code [Done], #2 Fix the bug [Done]", Describe(transcript.Checklist));
        Assert.Equal("toolu_w2", transcript.Checklist!.ToolUseId);
    }

    [Fact]
    public void A_session_without_task_calls_has_no_checklist()
    {
        var transcript = new Transcript();
        ServedTurn.Fold(ServedTurn.Events("v2.1.197-review/bash.jsonl"), transcript);

        Assert.Null(transcript.Checklist);
        Assert.Null(transcript.ChecklistAsOf("t1"));
        Assert.Null(transcript.ChecklistAsOf("unknown"));
    }
}
