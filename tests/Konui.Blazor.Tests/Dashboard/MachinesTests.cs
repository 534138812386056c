using Bunit;
using Konui.Blazor.Console;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>
/// The Dashboard with two machines, "local" and "far": each machine's health in the status bar, a session's machine
/// in the header, a machine that goes away (its running turn "machine unreachable", never lost, and on when it comes
/// back), and "+ New session" choosing the machine and its folder.
/// </summary>
public sealed class MachinesTests : DashboardTest
{
    private const string FarSession = "7d3c1b2a-4444-4c1e-9a53-3c1b2f0e4a04";

    private readonly FakeKonsole _far = new();

    protected override IEnumerable<KonsoleHost> OtherMachines(FakeMachines machines) => [machines.Add("far", _far, "far-secret")];

    private Konsoles Konsoles => Services.GetRequiredService<Konsoles>();

    private static (string? Health, string Text, string? Title) Machine(IRenderedComponent<DashboardInLayout> page, string name)
    {
        var shown = page.Find($".status-machine[data-machine='{name}']");
        return (shown.GetAttribute("data-health"), shown.TextContent, shown.GetAttribute("title"));
    }

    private IRenderedComponent<DashboardInLayout> Open(string query)
    {
        Navigation.NavigateTo(query);
        return Render<DashboardInLayout>();
    }

    [Fact]
    public async Task Each_machine_shows_its_health_and_one_that_goes_away_shows_offline_since_when_and_why()
    {
        var page = Open("?new=true");
        await Konsoles.StartAsync(CancellationToken.None);
        try
        {
            page.WaitForAssertion(() => Assert.Equal([("online", "local: claude 2.1.197"), ("online", "far: claude 2.1.197")],
                page.FindAll(".status-machine").Select(m => (m.GetAttribute("data-health"), m.TextContent))));
            Assert.Empty(page.FindAll(".status-bar > .status-konsole:not(.status-machine)"));

            _far.Unreachable = "Connection refused (far.test:80)";

            page.WaitForAssertion(() => Assert.Equal("offline", Machine(page, "far").Health), TimeSpan.FromSeconds(10));
            var (_, text, title) = Machine(page, "far");
            Assert.Equal("far: offline", text);
            Assert.Equal("far has not answered since 2026-11-02 13:00: Konsole does not answer: Connection refused (far.test:80)", title);
            Assert.Equal("online", Machine(page, "local").Health);

            _far.Unreachable = null;
            page.WaitForAssertion(() => Assert.Equal(("online", "far: claude 2.1.197"), (Machine(page, "far").Health, Machine(page, "far").Text)), TimeSpan.FromSeconds(10));
        }
        finally
        {
            await Konsoles.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_turn_on_a_machine_that_goes_away_shows_machine_unreachable_not_lost_and_goes_on_when_it_comes_back()
    {
        var script = new TurnScript("turn_far", FarSession, "req_far", "Deploy it", Now.AddSeconds(-5)).Init().Text("Deploying now");
        _far.AddTurn(script);
        _far.SessionStatuses[FarSession] = new SessionStatus(FarSession, PermissionModes.Default, "claude-test", [], [], "turn_far", [], true);
        _far.Status = _far.Status with { ActiveTurns = [new ActiveTurn("turn_far", FarSession, TurnState.Running, Now.AddSeconds(-5), 5000)] };
        var page = Open($"?session={FarSession}");
        await Konsoles.StartAsync(CancellationToken.None);
        try
        {
            page.WaitForAssertion(() => Assert.Equal("Deploying now", page.Find("article.turn .assistant-text").TextContent.Trim()), TimeSpan.FromSeconds(10));
            Assert.Equal("far", page.Find(".dashboard-head .console-machine").GetAttribute("data-machine"));
            Assert.Empty(page.FindAll(".turn-unreachable"));

            _far.Unreachable = "Connection refused (far.test:80)";

            page.WaitForAssertion(() => Assert.Equal("Machine unreachable: far does not answer", page.Find("article.turn .turn-unreachable").TextContent), TimeSpan.FromSeconds(10));
            Assert.Equal("running", page.Find("article.turn").GetAttribute("data-state"));
            page.WaitForAssertion(() => Assert.Contains("machine unreachable (far)", page.Find(".status-turn").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            Assert.Empty(page.FindAll(".turn-running:not(.turn-unreachable)"));

            script.Text("Deployed.").End(true, 9000, 0.02);
            _far.EventsByTurnId["turn_far"] = [.. script.Events];
            _far.Status = _far.Status with { ActiveTurns = [] };
            _far.Unreachable = null;

            page.WaitForAssertion(() => Assert.Equal("ok", page.Find("article.turn").GetAttribute("data-state")), TimeSpan.FromSeconds(15));
            Assert.Equal(["Deploying now", "Deployed."], page.FindAll("article.turn .assistant-text").Select(t => t.TextContent.Trim()));
            Assert.Empty(page.FindAll(".turn-unreachable"));
            Assert.DoesNotContain("lost", page.Find("article.turn").TextContent, StringComparison.Ordinal);
        }
        finally
        {
            await Konsoles.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void New_session_chooses_the_machine_then_its_folder_and_the_first_prompt_goes_to_that_machine()
    {
        _far.Projects = new ProjectList(["/srv/far"], [new ProjectFolder("/srv/far/api", "api", true)]);
        var page = Open("?new=true");

        page.Find("button.session-new").Click();

        page.WaitForAssertion(() => Assert.Equal(["local", "far"], page.FindAll(".project-machine").Select(m => m.GetAttribute("data-machine"))));
        Assert.Equal("true", page.Find(".project-machine[data-machine='local']").GetAttribute("aria-checked"));
        page.WaitForAssertion(() => Assert.Contains("local has no project folders", page.Find(".project-none").TextContent, StringComparison.Ordinal));
        page.Find(".project-machine[data-machine='far']").Click();
        page.WaitForAssertion(() => Assert.Equal(["/srv/far/api"], page.FindAll(".project-folder").Select(f => f.GetAttribute("data-path"))));
        page.Find(".project-folder").Click();

        page.WaitForAssertion(() => Assert.Equal("http://localhost/?new=true&folder=%2Fsrv%2Ffar%2Fapi&machine=far", Navigation.Uri));
        page.WaitForAssertion(() => Assert.Equal("far", page.Find(".dashboard-head .console-machine").GetAttribute("data-machine")));
        page.Find("textarea.prompt-text").Input("Fix the API");
        page.Find("button.prompt-send").Click();

        page.WaitForAssertion(() => Assert.Equal(("Fix the API", "/srv/far/api"), _far.Started.Select(t => (t.Prompt, t.WorkingDirectory)).Single()));
        Assert.Empty(Konsole.Started);
    }

    [Fact]
    public void A_machine_named_in_the_address_that_does_not_exist_says_so_and_the_session_starts_on_local()
    {
        var page = Open("?new=true&machine=nowhere");

        page.WaitForAssertion(() => Assert.Equal("There is no konsole named \"nowhere\": a new session starts on \"local\".", page.Find(".console-error").TextContent));
        Assert.Equal("local", page.Find(".dashboard-head .console-machine").GetAttribute("data-machine"));
    }
}
