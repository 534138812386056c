using Bunit;
using Konui.Blazor.Console;
using Konui.Core.Konsole;
using Microsoft.Extensions.DependencyInjection;
using DashboardPage = Konui.Blazor.Components.Pages.Dashboard.Dashboard;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>
/// "/" is the live console: a tab there follows the session where a turn starts, wherever it was typed; a tab on a
/// given session stays on it and says another one is running. The session picker follows turns starting and ending.
/// </summary>
public sealed class LiveConsoleTests : DashboardTest
{
    private const string Laptop = "0b7d8e1f-2a3c-4d5e-8f90-1a2b3c4d5e6f";

    private Konsoles Watch => Services.GetRequiredService<Konsoles>();

    public LiveConsoleTests()
    {
        AddEndedTurn("t-old", Lines("v2.1.329/turn-simple.jsonl"), "What is this project?", Now.AddHours(-2));
        Konsole.Sessions.Add(new SessionSummary(SessionId, "What is this project?", 1, Now.AddHours(-2), Now.AddHours(-2), null, 0.04, 100, 10));
    }

    /// <summary>A turn typed elsewhere (the laptop) starts in another session: konsole runs it and lists it.</summary>
    private void StartTurnElsewhere()
    {
        Konsole.AddTurn(new TurnScript("t-laptop", Laptop, "req-laptop", "Deploy the preview", Now.AddSeconds(-2)).Init().Text("Deploying now."));
        Konsole.Sessions.Insert(0, new SessionSummary(Laptop, "Deploy the preview", 1, Now.AddSeconds(-2), Now, "t-laptop", 0, 0, 0));
        Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("t-laptop", Laptop, TurnState.Running, Now.AddSeconds(-2), 2000)] };
    }

    private static IReadOnlyList<string> Prompts(IRenderedComponent<DashboardPage> page) =>
        page.FindAll(".turn-prompt-text").Select(p => p.TextContent.Trim()).ToList();

    [Fact]
    public async Task A_tab_on_the_console_follows_a_turn_started_in_another_session()
    {
        var page = OpenDashboard("");
        page.WaitForAssertion(() => Assert.Equal(["What is this project?"], Prompts(page)));
        await Watch.StartAsync(CancellationToken.None);
        try
        {
            StartTurnElsewhere();

            page.WaitForAssertion(() => Assert.Equal(["Deploy the preview"], Prompts(page)), TimeSpan.FromSeconds(5));
            page.WaitForAssertion(() => Assert.Contains("Deploying now.", page.Find(".assistant-text").TextContent, StringComparison.Ordinal));
            Assert.Equal("session 0b7d8e1f", page.Find(".status-session").TextContent);
            Assert.Empty(page.FindAll(".other-session"));
        }
        finally
        {
            await Watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_tab_on_a_given_session_stays_there_and_links_to_the_session_that_runs()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => Assert.Equal(["What is this project?"], Prompts(page)));
        await Watch.StartAsync(CancellationToken.None);
        try
        {
            StartTurnElsewhere();

            page.WaitForAssertion(() => Assert.Contains("Another session is running (session 0b7d8e1f)", page.Find(".other-session").TextContent, StringComparison.Ordinal),
                TimeSpan.FromSeconds(5));
            Assert.Equal($"/?session={Laptop}", page.Find(".other-session a").GetAttribute("href"));
            Assert.Equal(["What is this project?"], Prompts(page));
            Assert.Equal("session 5f0c2a9e", page.Find(".status-session").TextContent);

            Konsole.Status = Konsole.Status with { ActiveTurns = [] };
            page.WaitForAssertion(() => Assert.Empty(page.FindAll(".other-session")), TimeSpan.FromSeconds(5));
        }
        finally
        {
            await Watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_tab_that_sent_a_prompt_of_its_own_no_longer_follows_other_sessions()
    {
        var page = OpenDashboard("");
        page.WaitForAssertion(() => Assert.Equal(["What is this project?"], Prompts(page)));
        page.Find("textarea").Input("Add a test");
        page.Find("[data-konui-send]").Click();
        page.WaitForAssertion(() => Assert.Single(Konsole.Started));
        await Watch.StartAsync(CancellationToken.None);
        try
        {
            StartTurnElsewhere();

            page.WaitForAssertion(() => page.Find(".other-session"), TimeSpan.FromSeconds(5));
            Assert.Equal("session 5f0c2a9e", page.Find(".status-session").TextContent);
        }
        finally
        {
            await Watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_session_picker_shows_a_turn_starting_waiting_and_ending_without_a_reload()
    {
        var page = OpenDashboard();
        string Label() => page.Find($".session-picker option[value='{SessionId}']").TextContent;
        page.WaitForAssertion(() => Assert.Equal("What is this project? · 1 turn", Label()));
        await Watch.StartAsync(CancellationToken.None);
        try
        {
            Konsole.Sessions[0] = Konsole.Sessions[0] with { TurnCount = 2, RunningTurnId = "t-new" };
            Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("t-new", SessionId, TurnState.Running, Now, 100)] };
            page.WaitForAssertion(() => Assert.Equal("What is this project? · 2 turns · running", Label()), TimeSpan.FromSeconds(5));
            Konsole.Sessions[0] = Konsole.Sessions[0] with { WaitingDecisions = 1 };
            Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("t-new", SessionId, TurnState.Running, Now, 100,
                [new PendingDecision("dec_1", "t-new", "Bash", null, Now)])] };
            page.WaitForAssertion(() => Assert.Equal("What is this project? · 2 turns · running · waiting for you", Label()), TimeSpan.FromSeconds(5));
            for (var waited = 0; Watch.Local.Watch.Status?.ActiveTurns.Count is not 1 && waited < 100; waited++) await Task.Delay(50);

            Konsole.Sessions[0] = Konsole.Sessions[0] with { RunningTurnId = null, WaitingDecisions = 0 };
            Konsole.Status = Konsole.Status with { ActiveTurns = [] };
            page.WaitForAssertion(() => Assert.Equal("What is this project? · 2 turns", Label()), TimeSpan.FromSeconds(5));
        }
        finally
        {
            await Watch.StopAsync(CancellationToken.None);
        }
    }
}
