using System.Net;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Decisions;

/// <summary>A session's permission mode and model, reported and switched mid-session without restarting Claude Code.</summary>
public sealed class ModeAndModelTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    [Fact]
    public async Task Mode_and_model_switched_mid_session_show_in_the_next_turns_init_with_the_same_cli()
    {
        Rig.Model.SetScript(_ => ModelReply.Text("Noted."));
        var (first, events) = await Rig.RunAsync("Start a session");
        var init = events.OfType<TurnInit>().Single();
        Assert.Equal(("claude-test", PermissionModes.Default), (init.Model, init.PermissionMode));
        var status = await Rig.Konsole.GetSessionAsync(first.SessionId);
        Assert.Equal(("claude-test", PermissionModes.Default, true), (status.Model, status.PermissionMode, status.CliRunning));
        var pid = KonuiWithClaude.ClaudeProcessOf(first.SessionId);

        var model = await Rig.Konsole.SetModelAsync(first.SessionId, "claude-other");
        var mode = await Rig.Konsole.SetPermissionModeAsync(first.SessionId, PermissionModes.AcceptEdits);

        Assert.Equal((SessionChange.Now, SessionChange.Now), (model.Applied, mode.Applied));
        Assert.Equal(("claude-other", PermissionModes.AcceptEdits), (mode.Session.Model, mode.Session.PermissionMode));
        var (_, next) = await Rig.RunAsync("And now?", first.SessionId);
        var nextInit = next.OfType<TurnInit>().Single();
        Assert.Equal(("claude-other", PermissionModes.AcceptEdits), (nextInit.Model, nextInit.PermissionMode));
        Assert.Equal("claude-other", Rig.Model.Requests[^1].Model);
        Assert.Equal(pid, KonuiWithClaude.ClaudeProcessOf(first.SessionId));
        var listed = (await Rig.Konsole.GetSessionsAsync()).Single(s => s.SessionId == first.SessionId);
        Assert.Equal(("claude-other", PermissionModes.AcceptEdits), (listed.Model, listed.PermissionMode));
    }

    [Fact]
    public async Task Bypass_permissions_is_refused_with_why_and_a_bad_mode_or_model_changes_nothing()
    {
        Rig.Model.SetScript(_ => ModelReply.Text("Noted."));
        var (first, _) = await Rig.RunAsync("Another session");

        var bypass = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.SetPermissionModeAsync(first.SessionId, PermissionModes.BypassPermissions));
        var unknown = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.SetPermissionModeAsync(first.SessionId, "yolo"));
        var badModel = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.SetModelAsync(first.SessionId, "--dangerously-skip-permissions x"));
        var noSession = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.SetModelAsync(Guid.NewGuid().ToString(), "sonnet"));

        Assert.Equal(HttpStatusCode.Conflict, bypass.Status);
        Assert.Contains("--allow-dangerously-skip-permissions", bypass.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("default, acceptEdits, plan, bypassPermissions", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badModel.Status);
        Assert.Equal(HttpStatusCode.NotFound, noSession.Status);
        var status = await Rig.Konsole.GetSessionAsync(first.SessionId);
        Assert.Equal(("claude-test", PermissionModes.Default), (status.Model, status.PermissionMode));
        Assert.False(status.BypassAllowed, "the session says its CLI would refuse bypassPermissions, so the status bar does not offer it");
    }
}
