using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Decisions;

public sealed class SessionRestartTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_sessions_mode_model_rules_and_queued_prompts_survive_a_konsole_restart()
    {
        await using var rig = await KonuiWithClaude.StartAsync();
        const string command = "sh -c 'echo hi'";
        rig.Model.SetScript(async (request, cancel) =>
        {
            if (request.LastUserText.EndsWith("hold on", StringComparison.Ordinal)) await Task.Delay(Timeout.Infinite, cancel);
            return request.HasToolResult ? ScriptedModelApi.Echo(request)
                : request.LastUserText.EndsWith("say hi", StringComparison.Ordinal) ? ModelReply.Bash(command, "Say hi")
                : ModelReply.Text("Here.");
        });
        var first = await rig.Konsole.StartTurnAsync(new TurnRequest("say hi"));
        await using (var watch = TurnWatch.Start(rig.Konsole, first.TurnId))
        {
            var asked = await watch.WaitForAsync<DecisionRequest>();
            await rig.Konsole.AnswerDecisionAsync(first.TurnId, asked.DecisionId, new DecisionAnswer("allow", Remember: "session"));
            await watch.EndAsync();
        }
        await rig.Konsole.SetModelAsync(first.SessionId, "claude-other");
        await rig.Konsole.SetPermissionModeAsync(first.SessionId, PermissionModes.AcceptEdits);
        var held = await rig.Konsole.StartTurnAsync(new TurnRequest("hold on", first.SessionId));
        await rig.Model.WaitForRequestAsync(r => r.LastUserText.EndsWith("hold on", StringComparison.Ordinal));
        var queued = await rig.Konsole.QueueTurnAsync(new TurnRequest("after the restart", first.SessionId));

        await rig.Konui.RestartAsync();

        var restarted = await rig.ReadAllAsync(held.TurnId);
        Assert.Equal("interrupted: konsole shut down", Assert.IsType<TurnEnd>(restarted[^1]).Error);
        var next = await WaitForTurnAsync(rig, queued.Queued!.RequestId);
        var events = await rig.ReadAllAsync(next.TurnId);
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success, Assert.IsType<TurnEnd>(events[^1]).Error);
        var init = events.OfType<TurnInit>().Single();
        Assert.Equal(("claude-other", PermissionModes.AcceptEdits), (init.Model, init.PermissionMode));
        var status = await rig.Konsole.GetSessionAsync(first.SessionId);
        Assert.Contains(status.Rules, r => r.Rule == $"Bash({command})");
        Assert.Empty(status.Queue);

        var (_, again) = await rig.RunAsync("say hi", first.SessionId);
        Assert.Empty(again.OfType<DecisionRequest>());
        Assert.False(again.OfType<ToolResult>().Single().IsError);
        var commandLine = File.ReadAllText($"/proc/{KonuiWithClaude.ClaudeProcessOf(first.SessionId)}/cmdline");
        Assert.Contains("--settings", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain("echo hi", commandLine, StringComparison.Ordinal);
        var settingsFile = Path.Combine(rig.Konui.DataDir, "sessions", first.SessionId + ".settings.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(settingsFile));
    }

    private static async Task<TurnSummary> WaitForTurnAsync(KonuiWithClaude rig, string requestId)
    {
        for (var waited = 0; ; waited++)
        {
            if ((await rig.Konsole.FindTurnsAsync(requestId)).FirstOrDefault() is { } turn) return turn;
            Assert.True(waited < 300, "the queued prompt did not start within 30 s of the restart");
            await Task.Delay(100);
        }
    }
}
