using System.Text.Json;
using Konui.Core.Tests.Turns;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Transcripts;

/// <summary>What "allow for this session" allows, read from the real CLI's permission suggestions.</summary>
public sealed class SessionAllowanceTests
{
    private static SessionAllowance OfFirstRequest(string recording) =>
        SessionAllowance.Of(Recordings.Parse("v2.1.197-permissions/" + recording).OfType<DecisionRequest>().First().PermissionSuggestions);

    [Fact]
    public void A_command_allows_its_rule_and_folder_and_may_switch_the_mode()
    {
        var touch = OfFirstRequest("allow-for-session.jsonl");
        var redirect = OfFirstRequest("permission-bash-allow.jsonl");

        Assert.Equal(["Bash(touch touched.txt)"], touch.Rules);
        Assert.Equal(["/home/dev/project"], touch.Directories);
        Assert.Equal("acceptEdits", touch.Mode);
        Assert.True(touch.SwitchesMode);
        Assert.Equal(["Bash(echo approved *)"], redirect.Rules);
        Assert.Null(redirect.Mode);
        Assert.False(redirect.SwitchesMode);
    }

    [Fact]
    public void A_write_only_switches_to_accept_edits_and_a_question_allows_nothing()
    {
        var write = OfFirstRequest("permission-write-allow.jsonl");
        var question = OfFirstRequest("ask-user-question.jsonl");

        Assert.Empty(write.Rules);
        Assert.Empty(write.Directories);
        Assert.Equal("acceptEdits", write.Mode);
        Assert.Same(SessionAllowance.None, question);
    }

    [Fact]
    public void Suggestions_of_an_unknown_shape_are_skipped_not_thrown_on()
    {
        using var odd = JsonDocument.Parse("""[{"type":"addRules","rules":"Bash"},{"type":"addRules","behavior":"deny","rules":[{"toolName":"Bash"}]},{"type":"setMode"},7,{"type":"addRules","rules":[{"toolName":"Read"}]}]""");

        var allowance = SessionAllowance.Of(odd.RootElement);

        Assert.Equal(["Read"], allowance.Rules);
        Assert.Empty(allowance.Directories);
        Assert.Null(allowance.Mode);
    }
}
