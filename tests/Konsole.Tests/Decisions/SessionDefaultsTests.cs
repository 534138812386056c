using System.Net;
using System.Text.Json;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Decisions;

/// <summary>The defaults for new sessions: changed through konsole's API (the settings page's road), used by the next new session only.</summary>
public sealed class SessionDefaultsTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    [Fact]
    public async Task New_sessions_start_with_the_defaults_set_and_sessions_that_exist_keep_theirs_also_after_a_restart()
    {
        Rig.Model.SetScript(_ => ModelReply.Text("Noted."));
        Assert.Equal(new SessionDefaults(PermissionModes.Default, "claude-test"), await Rig.Konsole.GetDefaultsAsync());
        var (before, _) = await Rig.RunAsync("A session made before the change");

        var set = await Rig.Konsole.SetDefaultsAsync(new SessionDefaults(PermissionModes.AcceptEdits, "claude-other"));

        Assert.Equal(new SessionDefaults(PermissionModes.AcceptEdits, "claude-other"), set);
        var (after, events) = await Rig.RunAsync("A session made after it");
        var init = events.OfType<TurnInit>().Single();
        Assert.Equal(("claude-other", PermissionModes.AcceptEdits), (init.Model, init.PermissionMode));
        Assert.Equal("claude-other", Rig.Model.Requests[^1].Model);
        var (_, olderEvents) = await Rig.RunAsync("The older session goes on", before.SessionId);
        var olderInit = olderEvents.OfType<TurnInit>().Single();
        Assert.Equal(("claude-test", PermissionModes.Default), (olderInit.Model, olderInit.PermissionMode));

        var kept = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Rig.Konui.DataDir, "defaults.json"))).RootElement;
        Assert.Equal(("acceptEdits", "claude-other"), (kept.GetProperty("permissionMode").GetString(), kept.GetProperty("model").GetString()));
        await Rig.Konui.RestartAsync();
        Assert.Equal(set, await Rig.Konsole.GetDefaultsAsync());
        var status = await Rig.Konsole.GetSessionAsync(after.SessionId);
        Assert.Equal(("claude-other", PermissionModes.AcceptEdits), (status.Model, status.PermissionMode));

        var back = await Rig.Konsole.SetDefaultsAsync(new SessionDefaults(PermissionModes.Plan, null));
        Assert.Equal(new SessionDefaults(PermissionModes.Plan, "claude-test"), back);
        var (_, planEvents) = await Rig.RunAsync("A planning session");
        Assert.Equal(("claude-test", PermissionModes.Plan), planEvents.OfType<TurnInit>().Select(i => (i.Model, i.PermissionMode)).Single());
        await Rig.Konsole.SetDefaultsAsync(new SessionDefaults(PermissionModes.Default, null));
    }

    [Fact]
    public async Task Bad_defaults_are_refused_with_what_to_send_and_change_nothing()
    {
        var before = await Rig.Konsole.GetDefaultsAsync();

        var unknown = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.SetDefaultsAsync(new SessionDefaults("yolo", null)));
        var bypass = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.SetDefaultsAsync(new SessionDefaults(PermissionModes.BypassPermissions, null)));
        var badModel = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.SetDefaultsAsync(new SessionDefaults(PermissionModes.Default, "--settings /etc/x")));
        using var http = new HttpClient { BaseAddress = new Uri(Rig.Konui.BaseUrl) };
        using var notJson = await http.PutAsync("api/konsole/defaults", new StringContent("mode=plan", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("default, acceptEdits, plan, bypassPermissions", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, bypass.Status);
        Assert.Contains("--allow-dangerously-skip-permissions", bypass.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badModel.Status);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("permissionMode", await notJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await Rig.Konsole.GetDefaultsAsync());
    }
}
