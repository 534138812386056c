using System.Text.Json;
using Bunit;
using Konui.Blazor.Components.Pages.Sessions;
using Konui.Blazor.Console;
using Konui.Blazor.Tests.Dashboard;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Decisions;

/// <summary>"Waiting for you": the status bar, the session picker and the Sessions list say so while Claude Code waits.</summary>
public sealed class WaitingForYouTests : DashboardTest
{
    private static DecisionRequest Asked(string decisionId, long seq) =>
        new(decisionId, "cli-1", "Bash", "Bash", JsonDocument.Parse("""{"command":"make test"}""").RootElement.Clone(), "Run the tests", null, "toolu_1", null, null, null)
        { Seq = seq, At = Now };

    [Fact]
    public void The_status_bar_says_waiting_for_you_from_the_question_until_its_answer()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        Publish("t-run", new TurnStart("t-run", SessionId, "req-run", "Run the tests", 0) { Seq = 1, At = Now });
        page.WaitForAssertion(() => Assert.Equal("running", page.Find(".status-turn").GetAttribute("data-state")));
        Assert.Empty(page.FindAll(".status-waiting"));

        Publish("t-run", Asked("dec_1", 2));

        page.WaitForAssertion(() => Assert.Equal("Waiting for you", page.Find(".status-waiting").TextContent));
        page.WaitForAssertion(() => Assert.Equal("waiting", page.Find(".decision-card").GetAttribute("data-state")));

        Publish("t-run", new DecisionResult("dec_1", DecisionOutcome.Allowed, "allow", null, null, null, null, false, "Konui in Safari on iPhone", null) { Seq = 3, At = Now });

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".status-waiting")));
        page.WaitForAssertion(() => Assert.Equal("Allowed once by Konui in Safari on iPhone", page.Find(".decision-outcome-text").TextContent));
    }

    [Fact]
    public void The_session_picker_marks_the_session_that_waits()
    {
        Konsole.Sessions.Add(new SessionSummary(SessionId, "Run the tests", 1, Now, Now, "t-run", 0, 0, 0, WaitingDecisions: 1));

        var page = OpenDashboard();

        page.WaitForAssertion(() => Assert.EndsWith("· running · waiting for you", page.Find($".session-picker option[value='{SessionId}']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sessions_list_shows_a_session_start_and_stop_waiting_without_a_reload()
    {
        Konsole.Sessions.Add(new SessionSummary(SessionId, "Run the tests", 1, Now, Now, "t-run", 0, 0, 0));
        Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("t-run", SessionId, TurnState.Running, Now, 100)] };
        var watch = Services.GetRequiredService<Konsoles>();
        Navigation.NavigateTo("sessions");
        var list = Render<SessionList>();
        string State() => list.Find($"[data-session-id='{SessionId}'] .session-row-state").TextContent;
        Assert.Equal("running", State());
        await watch.StartAsync(CancellationToken.None);
        try
        {
            for (var waited = 0; watch.Local.Watch.Status?.ActiveTurns.Count is not 1 && waited < 100; waited++) await Task.Delay(50);
            Konsole.Sessions[0] = Konsole.Sessions[0] with { WaitingDecisions = 1 };
            Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("t-run", SessionId, TurnState.Running, Now, 100, [new PendingDecision("dec_1", "t-run", "Bash", "toolu_1", Now)])] };

            list.WaitForAssertion(() => Assert.Equal("waiting for you", State()), TimeSpan.FromSeconds(5));
            Assert.Equal("waiting", list.Find($"[data-session-id='{SessionId}'] .session-row-state").GetAttribute("data-status"));

            Konsole.Sessions[0] = Konsole.Sessions[0] with { WaitingDecisions = 0 };
            Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("t-run", SessionId, TurnState.Running, Now, 100)] };
            list.WaitForAssertion(() => Assert.Equal("running", State()), TimeSpan.FromSeconds(5));
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }
}
