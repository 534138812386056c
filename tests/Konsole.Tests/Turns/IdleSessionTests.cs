using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

public sealed class IdleSessionTests
{
    [Fact]
    public async Task An_idle_sessions_cli_is_closed_and_the_next_prompt_resumes_it()
    {
        await using var rig = await KonuiWithClaude.StartAsync(settings: new Dictionary<string, string> { ["Konsole__IdleTimeout"] = "00:00:01" });
        rig.Model.SetScript(request => ModelReply.Text($"Noted: {request.LastUserText.Split('\n')[^1]}"));
        var (first, _) = await rig.RunAsync("Remember the word papaya");
        Assert.NotNull(KonuiWithClaude.ClaudeProcessOf(first.SessionId));

        for (var waited = 0; KonuiWithClaude.ClaudeProcessOf(first.SessionId) is not null; waited++)
        {
            Assert.True(waited < 100, "the idle CLI was not closed within 10 s");
            await Task.Delay(100);
        }

        var (_, next) = await rig.RunAsync("What was the word?", first.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(next[^1]).Success, Assert.IsType<TurnEnd>(next[^1]).Error);
        Assert.Contains(rig.Konui.Output, l => l.Contains($"session {first.SessionId}, resuming it", StringComparison.Ordinal));
        Assert.Contains("papaya", rig.Model.Requests[^1].RawJson, StringComparison.Ordinal);
    }
}
