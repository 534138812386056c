using Bunit;
using Konui.Blazor.Components.Pages.Sessions;
using Konui.Blazor.Console;
using Konui.Core.Konsole;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Sessions;

public sealed class SessionListTests : KonuiComponentTest
{
    private const string Release = "0a6f7c52-1111-4c1e-9a53-3c1b2f0e4a01";
    private const string Login = "5b2e9d40-2222-4c1e-9a53-3c1b2f0e4a02";
    private const string Terminal = "c9d84e13-3333-4c1e-9a53-3c1b2f0e4a03";

    private void AddSessions()
    {
        Konsole.Sessions.Add(new SessionSummary(Login, "Fix the login bug", 1, Now.AddMinutes(-20), Now.AddMinutes(-10), "turn_running", 0.0042, 900, 120));
        Konsole.Sessions.Add(new SessionSummary(Release, "Plan the release\nwith care", 2, Now.AddDays(-1), Now.AddHours(-5), null, 0.1234, 12_345, 6_789));
        Konsole.AddTurn(new TurnScript("turn_1", Release, "req_1", "Plan the release\nwith care", Now.AddDays(-1)).End(true, 1000, 0.1));
        Konsole.AddTurn(new TurnScript("turn_2", Release, "req_2", "Write the changelog", Now.AddHours(-5)).End(true, 1000, 0.0234));
        Konsole.CliSessions.Add(new CliSessionDetail(
            new CliSessionSummary(Terminal, "Why is the build slow?", 3, Now.AddHours(-3), Now.AddHours(-2), "projects/konui"),
            [new CliPrompt("Why is the build slow?", Now.AddHours(-3)), new CliPrompt("Profile it", Now.AddHours(-2.5)), new CliPrompt("And the tests?", Now.AddHours(-2))]));
    }

    private IRenderedComponent<SessionList> At(string query)
    {
        Navigation.NavigateTo("sessions" + query);
        return Render<SessionList>();
    }

    private static List<string> Prompts(IRenderedComponent<SessionList> list) => list.FindAll(".session-row-prompt").Select(e => e.TextContent).ToList();

    [Fact]
    public void Sessions_of_konsole_and_of_claude_code_are_listed_newest_first_with_turns_cost_tokens_and_state()
    {
        AddSessions();

        var list = At("");

        Assert.Equal(["Fix the login bug", "Why is the build slow?", "Plan the release with care"], Prompts(list));
        Assert.Equal("3 sessions", list.Find(".sessions-count").TextContent);
        var release = list.Find($"[data-session-id='{Release}']");
        Assert.Equal($"sessions/{Release}", release.QuerySelector("a.session-row-prompt")!.GetAttribute("href"));
        Assert.Equal("2 turns", release.QuerySelector(".session-row-turns")!.TextContent);
        Assert.Equal("$0.1234", release.QuerySelector(".session-row-cost")!.TextContent);
        Assert.Equal("12,345 in · 6,789 out tokens", release.QuerySelector(".session-row-tokens")!.TextContent);
        Assert.Equal("idle", release.QuerySelector(".session-row-state")!.TextContent);
        Assert.Equal("5 h ago", release.QuerySelector(".session-row-last time")!.TextContent);
        Assert.Equal("running", list.Find($"[data-session-id='{Login}'] .session-row-state").TextContent);
        var terminal = list.Find($"[data-session-id='{Terminal}']");
        Assert.Equal("claude-code", terminal.GetAttribute("data-kind"));
        Assert.Equal("Claude Code", terminal.QuerySelector(".session-row-kind")!.TextContent);
        Assert.Equal("3 prompts", terminal.QuerySelector(".session-row-turns")!.TextContent);
        Assert.Null(terminal.QuerySelector(".session-row-cost"));
    }

    [Fact]
    public async Task The_list_shows_a_turn_starting_and_ending_in_konsole_without_a_reload()
    {
        AddSessions();
        var watch = Services.GetRequiredService<Konsoles>();
        var list = At("");
        string State(string sessionId) => list.Find($"[data-session-id='{sessionId}'] .session-row-state").TextContent;
        await watch.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal("idle", State(Release));
            var at = Konsole.Sessions.FindIndex(s => s.SessionId == Release);
            Konsole.Sessions[at] = Konsole.Sessions[at] with { TurnCount = 3, LastActivity = Now, RunningTurnId = "turn_3" };
            Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("turn_3", Release, TurnState.Running, Now, 120)] };

            list.WaitForAssertion(() => Assert.Equal("running", State(Release)), TimeSpan.FromSeconds(5));
            Assert.Equal("Plan the release with care", Prompts(list)[0]);
            Assert.Equal("3 turns", list.Find($"[data-session-id='{Release}'] .session-row-turns").TextContent);
            // The turn runs for a moment: at least one of Konui's status polls sees it, as for any turn a person waits on.
            for (var waited = 0; watch.Local.Watch.Status?.ActiveTurns.Count is not 1 && waited < 100; waited++) await Task.Delay(50);

            Konsole.Sessions[at] = Konsole.Sessions[at] with { RunningTurnId = null };
            Konsole.Status = Konsole.Status with { ActiveTurns = [] };
            list.WaitForAssertion(() => Assert.Equal("idle", State(Release)), TimeSpan.FromSeconds(5));
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_refresh_konsole_fails_shows_why_and_is_tried_again_on_the_next_status()
    {
        AddSessions();
        Konsole.Sessions.RemoveAll(s => s.SessionId == Login);
        var watch = Services.GetRequiredService<Konsoles>();
        var list = At("");
        await watch.StartAsync(CancellationToken.None);
        try
        {
            for (var waited = 0; watch.Local.Watch.Status is null && waited < 100; waited++) await Task.Delay(50);
            var at = Konsole.Sessions.FindIndex(s => s.SessionId == Release);
            Konsole.SessionListingFailures = 1;
            Konsole.Sessions[at] = Konsole.Sessions[at] with { RunningTurnId = "turn_3" };
            Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("turn_3", Release, TurnState.Running, Now, 120)] };

            list.WaitForAssertion(() => Assert.Contains("Konsole is restarting.", list.Find(".sessions-error").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
            list.WaitForAssertion(() => Assert.Equal("running", list.Find($"[data-session-id='{Release}'] .session-row-state").TextContent), TimeSpan.FromSeconds(5));
            Assert.Empty(list.FindAll(".sessions-error"));
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_search_finds_sessions_by_any_prompt_not_only_the_first()
    {
        AddSessions();

        var list = At("?q=changelog");

        Assert.Equal(["Plan the release with care"], Prompts(list));
        Assert.Equal("1 matching", list.Find(".sessions-count").TextContent);
        Assert.Equal("changelog", list.Find(".sessions-search input").GetAttribute("value"));
        Assert.Equal(["Why is the build slow?"], Prompts(At("?q=TESTS")));
        Assert.Equal(["Fix the login bug"], Prompts(At($"?q={Login[..8]}")));
    }

    [Fact]
    public void Typing_a_search_puts_it_in_the_address_and_clear_takes_it_out()
    {
        AddSessions();
        var list = At("");

        list.Find(".sessions-search input").Input("login");

        Assert.EndsWith("/sessions?q=login", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(["Fix the login bug"], Prompts(list));
        list.Find(".sessions-clear").Click();
        Assert.EndsWith("/sessions", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(3, Prompts(list).Count);
    }

    [Fact]
    public void A_search_that_matches_nothing_says_so()
    {
        AddSessions();

        var list = At("?q=pineapple");

        Assert.Empty(list.FindAll(".session-row"));
        Assert.Contains("No session has a prompt with “pineapple”", list.Find(".konui-empty").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_sessions_the_page_says_where_they_come_from()
    {
        var list = At("");

        Assert.Empty(list.FindAll(".session-row"));
        Assert.Contains("No console sessions yet", list.Find(".konui-empty").TextContent, StringComparison.Ordinal);
        Assert.Equal("/", list.Find(".konui-empty a").GetAttribute("href"));
        Assert.Equal("0 sessions", list.Find(".sessions-count").TextContent);
    }

    [Fact]
    public void When_konsole_does_not_answer_the_page_says_so()
    {
        Konsole.Unreachable = "Connection refused (127.0.0.1:8020)";

        var list = At("");

        Assert.Equal("Konsole could not list the sessions: Connection refused (127.0.0.1:8020)", list.Find("[role=alert]").TextContent);
    }
}
