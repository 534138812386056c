using Bunit;
using Konui.Blazor.Components.Pages.Sessions;
using Konui.Blazor.Console;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Sessions;

/// <summary>The Sessions page with two machines: every session with its machine, a filter by machine, and a machine that goes away.</summary>
public sealed class SessionsByMachineTests : KonuiComponentTest
{
    private const string LocalSession = "0a6f7c52-1111-4c1e-9a53-3c1b2f0e4a01";
    private const string FarSession = "5b2e9d40-2222-4c1e-9a53-3c1b2f0e4a02";
    private const string FarIdle = "c9d84e13-3333-4c1e-9a53-3c1b2f0e4a03";

    private readonly FakeKonsole _far = new();

    protected override IEnumerable<KonsoleHost> OtherMachines(FakeMachines machines) => [machines.Add("far", _far)];

    private void AddSessions()
    {
        Konsole.Sessions.Add(new SessionSummary(LocalSession, "Fix the login bug", 1, Now.AddMinutes(-20), Now.AddMinutes(-10), null, 0.01, 900, 120));
        _far.Sessions.Add(new SessionSummary(FarSession, "Build the release", 2, Now.AddMinutes(-30), Now.AddMinutes(-1), "turn_far", 0.02, 1000, 200));
        _far.Sessions.Add(new SessionSummary(FarIdle, "Clean the cache", 1, Now.AddHours(-3), Now.AddHours(-2), null, 0.01, 100, 20));
    }

    private IRenderedComponent<SessionList> At(string query)
    {
        Navigation.NavigateTo("sessions" + query);
        return Render<SessionList>();
    }

    private static List<(string? Id, string? Machine)> Rows(IRenderedComponent<SessionList> list) =>
        list.FindAll(".session-row").Select(r => (r.GetAttribute("data-session-id"), r.GetAttribute("data-machine"))).ToList();

    [Fact]
    public void Every_machines_sessions_are_listed_newest_first_each_with_its_machine()
    {
        AddSessions();

        var list = At("");

        list.WaitForAssertion(() => Assert.Equal([(FarSession, "far"), (LocalSession, "local"), (FarIdle, "far")], Rows(list)));
        Assert.Equal("far", list.Find($"[data-session-id='{FarSession}'] .session-row-machine").TextContent.Trim());
        Assert.Equal("3 sessions", list.Find(".sessions-count").TextContent);
        Assert.Equal(["", "local", "far"], list.FindAll("select[aria-label=Machine] option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public void The_machine_filter_keeps_that_machines_sessions_and_comes_from_the_address()
    {
        AddSessions();

        var list = At("?machine=far");

        list.WaitForAssertion(() => Assert.Equal([(FarSession, "far"), (FarIdle, "far")], Rows(list)));
        Assert.Equal("2 matching", list.Find(".sessions-count").TextContent);
        list.Find("select[aria-label=Machine]").Change("local");
        Assert.Equal("http://localhost/sessions?machine=local", Navigation.Uri);
    }

    [Fact]
    public async Task A_machine_that_goes_away_keeps_its_sessions_as_last_listed_and_its_running_one_shows_machine_unreachable()
    {
        AddSessions();
        _far.Status = _far.Status with { ActiveTurns = [new ActiveTurn("turn_far", FarSession, TurnState.Running, Now, 100)] };
        var konsoles = Services.GetRequiredService<Konsoles>();
        var list = At("");
        list.WaitForAssertion(() => Assert.Equal("running", list.Find($"[data-session-id='{FarSession}'] .session-row-state").TextContent));
        await konsoles.StartAsync(CancellationToken.None);
        try
        {
            for (var waited = 0; konsoles.Find("far")!.Watch.Status is null && waited < 100; waited++) await Task.Delay(50);

            _far.Unreachable = "Connection refused (far.test:80)";

            list.WaitForAssertion(() => Assert.Equal("machine unreachable", list.Find($"[data-session-id='{FarSession}'] .session-row-state").TextContent), TimeSpan.FromSeconds(10));
            Assert.Equal("unreachable", list.Find($"[data-session-id='{FarSession}'] .session-row-state").GetAttribute("data-status"));
            Assert.Equal([(FarSession, "far"), (LocalSession, "local"), (FarIdle, "far")], Rows(list));
            Assert.Equal("far does not answer (Connection refused (far.test:80)): its sessions are as it last listed them.", list.Find(".sessions-unanswered").TextContent);
            Assert.Equal("idle", list.Find($"[data-session-id='{LocalSession}'] .session-row-state").TextContent);
        }
        finally
        {
            await konsoles.StopAsync(CancellationToken.None);
        }
    }
}
