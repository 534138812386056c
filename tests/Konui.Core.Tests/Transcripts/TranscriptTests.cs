using Konui.Core.Kontasks;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Transcripts;

public sealed class TranscriptTests
{
    private const string CreateTask = """{"success":true,"task":{"id":"kt_1"}}""";

    [Fact]
    public void A_kontask_that_lands_before_its_tool_result_shows_once_on_the_tool_call()
    {
        // The store's watcher usually announces the kontask before the CLI's tool_result comes through konsole.
        var transcript = TurnWithCreateTaskCall();
        Assert.True(transcript.AddKontask(Kontask("kt_1", "req-1")));

        transcript.Apply("t1", new ToolResult("toolu_1", CreateTask, false) { Seq = 3 });

        var turn = Assert.Single(transcript.Turns);
        Assert.Equal("kt_1", Assert.Single(turn.Items.OfType<ToolCall>()).KontaskId);
        Assert.Empty(turn.OtherKontasks);
    }

    [Fact]
    public void A_kontask_that_lands_after_its_tool_result_stays_on_the_tool_call()
    {
        var transcript = TurnWithCreateTaskCall();
        transcript.Apply("t1", new ToolResult("toolu_1", CreateTask, false) { Seq = 3 });

        Assert.False(transcript.AddKontask(Kontask("kt_1", "req-1")));

        var turn = Assert.Single(transcript.Turns);
        Assert.Equal("kt_1", Assert.Single(turn.Items.OfType<ToolCall>()).KontaskId);
        Assert.Empty(turn.OtherKontasks);
    }

    [Fact]
    public void A_kontask_no_tool_call_of_the_turn_made_shows_after_the_turn()
    {
        var transcript = TurnWithCreateTaskCall();
        Assert.True(transcript.AddKontask(Kontask("kt_other", "req-1")));
        transcript.Apply("t1", new ToolResult("toolu_1", CreateTask, false) { Seq = 3 });

        Assert.Equal(["kt_other"], Assert.Single(transcript.Turns).OtherKontasks.Select(k => k.Id));
    }

    private static Transcript TurnWithCreateTaskCall()
    {
        var transcript = new Transcript();
        transcript.Apply("t1", new TurnStart("t1", "s1", "req-1", "Plan the deploy", 0) { Seq = 1 });
        transcript.Apply("t1", new AssistantBlock("msg_1", 0, "tool_use", null, "toolu_1", Transcript.CreateTaskTool, null, "claude-test", null, false) { Seq = 2 });
        return transcript;
    }

    private static KontaskSummary Kontask(string id, string requestId) =>
        KontaskSummary.From(new Kontask { Id = id, Title = "Deploy plan", RequestId = requestId }, 0, 0, 1);
}
