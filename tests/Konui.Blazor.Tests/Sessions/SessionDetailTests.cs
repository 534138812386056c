using Bunit;
using Konui.Blazor.Components.Pages.Sessions;
using Konui.Blazor.Console;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Sessions;

public sealed class SessionDetailTests : KonuiComponentTest
{
    private const string Release = "0a6f7c52-1111-4c1e-9a53-3c1b2f0e4a01";
    private const string Terminal = "c9d84e13-3333-4c1e-9a53-3c1b2f0e4a03";

    public SessionDetailTests()
    {
        Konsole.Sessions.Add(new SessionSummary(Release, "Plan the release", 3, Now.AddHours(-5), Now.AddMinutes(-1), "turn_3", 0.1234, 12_345, 6_789));
        Konsole.AddTurn(new TurnScript("turn_1", Release, "req_1", "Plan the release", Now.AddHours(-5)).Init()
            .Text("Here is **the plan**.")
            .Tool("mcp__konui__konui_create_task", """{"title":"Release plan"}""", """{"success":true,"task":{"id":"kt_plan"}}""")
            .Tool("Bash", """{"command":"git tag"}""", "v1.2.0")
            .End(true, 12_345, 0.1));
        Konsole.AddTurn(new TurnScript("turn_2", Release, "req_2", "Tag it", Now.AddHours(-4)).Init().End(false, 2_000, 0.0234, error: "stopped by user"));
        Konsole.AddTurn(new TurnScript("turn_3", Release, "req_3", "Write the changelog", Now.AddMinutes(-1)).Init().Text("Writing"));
        Add("kt_plan", "Release plan", Now.AddHours(-5), k =>
        {
            k.RequestId = "req_1";
            k.Context = new KontaskContext { Choices = [new KontaskChoice { Label = "Ship it", Value = "Ship version 1.2.0" }] };
        });
        Add("kt_notes", "Release notes", Now.AddHours(-5), k => k.RequestId = "req_1");
    }

    [Fact]
    public void Replaying_a_turn_that_changed_the_task_list_shows_the_list_it_left_with_the_tasks_made_before_it_and_the_sessions_folder()
    {
        const string Parser = "d1e2f3a4-4444-4c1e-9a53-3c1b2f0e4a04";
        Konsole.Sessions.Add(new SessionSummary(Parser, "Plan the parser", 2, Now.AddHours(-2), Now.AddHours(-1), null, 0.02, 100, 50, WorkingDirectory: "/srv/projects/parser"));
        Konsole.AddTurn(new TurnScript("turn_p1", Parser, "req_p1", "Plan the parser", Now.AddHours(-2)).Init()
            .Tool("TaskCreate", """{"subject":"Write the parser","activeForm":"Writing the parser"}""", "Task #1 created successfully: Write the parser")
            .Tool("TaskCreate", """{"subject":"Test the parser","activeForm":"Testing the parser"}""", "Task #2 created successfully: Test the parser")
            .End(true, 3_000, 0.01));
        Konsole.AddTurn(new TurnScript("turn_p2", Parser, "req_p2", "Write it", Now.AddHours(-1)).Init()
            .Tool("TaskUpdate", """{"taskId":"1","status":"completed"}""", "Updated task #1 status")
            .End(true, 3_000, 0.01));

        var page = At(Parser, "?turn=turn_p2");

        page.WaitForAssertion(() => page.Find(".turn-replay .turn-checklist"), TimeSpan.FromSeconds(5));
        Assert.Equal(["turn_p2"], page.FindAll(".turn-replay article.turn").Select(a => a.GetAttribute("data-turn-id")));
        Assert.Equal(["done Write the parser", "pending Test the parser"], page.FindAll(".turn-replay .turn-checklist .checklist-item")
            .Select(i => $"{i.GetAttribute("data-status")} {i.QuerySelector(".checklist-subject")!.TextContent}"));
        Assert.Equal("/srv/projects/parser", page.Find(".session-folder").TextContent);
    }

    private IRenderedComponent<SessionDetail> At(string sessionId, string query = "")
    {
        Navigation.NavigateTo($"sessions/{sessionId}{query}");
        return Render<SessionDetail>(p => p.Add(s => s.SessionId, sessionId));
    }

    [Fact]
    public void A_session_lists_its_turns_with_outcome_duration_cost_and_the_kontasks_each_made()
    {
        var page = At(Release);

        Assert.Equal("Plan the release", page.Find(".session-first-prompt").TextContent);
        Assert.Equal("$0.1234", page.Find(".session-cost").TextContent);
        Assert.Equal("12,345 in · 6,789 out", page.Find(".session-tokens").TextContent);
        Assert.Equal($"/?session={Release}", page.Find(".session-go").GetAttribute("href"));
        Assert.Equal("Continue in Dashboard", page.Find(".session-go").TextContent);

        var turns = page.FindAll(".session-turn");
        Assert.Equal(["Plan the release", "Tag it", "Write the changelog"], turns.Select(t => t.QuerySelector(".session-turn-prompt")!.TextContent));
        Assert.Equal(["done", "stopped by user", "running"], turns.Select(t => t.QuerySelector(".session-turn-outcome")!.TextContent));
        Assert.Equal(["12 s", "2.0 s"], turns.Take(2).Select(t => t.QuerySelector(".session-turn-duration")!.TextContent));
        Assert.Equal(["$0.1000", "$0.0234"], turns.Take(2).Select(t => t.QuerySelector(".session-turn-cost")!.TextContent));
        Assert.Equal(["2 kontasks", "0 kontasks", "0 kontasks"], turns.Select(t => t.QuerySelector(".session-turn-kontasks")!.TextContent));
        Assert.Equal($"sessions/{Release}?turn=turn_1", turns[0].QuerySelector(".session-turn-replay")!.GetAttribute("href"));
        Assert.Null(turns[2].QuerySelector(".session-turn-replay"));
        Assert.Equal($"/?session={Release}", turns[2].QuerySelector(".session-turn-watch")!.GetAttribute("href"));
        Assert.Empty(page.FindAll(".turn-replay"));
    }

    [Fact]
    public async Task A_running_turn_shows_its_end_without_a_reload()
    {
        Konsole.Status = Konsole.Status with { ActiveTurns = [new ActiveTurn("turn_3", Release, TurnState.Running, Now.AddMinutes(-1), 60_000)] };
        var watch = Services.GetRequiredService<Konsoles>();
        await watch.StartAsync(CancellationToken.None);
        try
        {
            var page = At(Release);
            Assert.Equal("running", page.FindAll(".session-turn-outcome")[2].TextContent);

            var turns = Konsole.TurnsBySession[Release];
            turns[2] = turns[2] with { State = TurnState.Ended, Success = true, EndedAt = Now, Timing = new TurnTiming { TotalMs = 61_000 } };
            Konsole.Status = Konsole.Status with { ActiveTurns = [] };

            page.WaitForAssertion(() => Assert.Equal("done", page.FindAll(".session-turn-outcome")[2].TextContent), TimeSpan.FromSeconds(5));
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Replaying_a_turn_draws_it_as_the_dashboard_does_with_its_kontasks()
    {
        var page = At(Release, "?turn=turn_1");

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".turn-replay article.turn")), TimeSpan.FromSeconds(5));
        var turn = page.Find(".session-turn[data-turn-id=turn_1]");
        Assert.Equal("true", turn.GetAttribute("aria-current"));
        Assert.Equal("Close replay", turn.QuerySelector(".session-turn-replay")!.TextContent);
        var replay = turn.QuerySelector(".turn-replay")!;
        Assert.Equal("Plan the release", replay.QuerySelector(".turn-prompt-text")!.TextContent);
        Assert.Equal("Here is <strong>the plan</strong>.", replay.QuerySelector(".assistant-text p")!.InnerHtml);
        Assert.Equal("Release plan", replay.QuerySelector(".tool-kontask .kontask-card-title")!.TextContent);
        Assert.Equal("Bash", replay.QuerySelector(".tool-call .tool-name")!.TextContent);
        Assert.Equal("Release notes", replay.QuerySelectorAll(".tool-kontask .kontask-card-title")[1].TextContent);
        Assert.StartsWith("✓ Done", replay.QuerySelector(".turn-result")!.TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll(".turn-replay"));
    }

    [Fact]
    public void A_kontask_choice_in_a_replay_opens_the_dashboard_with_it_in_the_prompt_box()
    {
        var page = At(Release, "?turn=turn_1");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".turn-replay .kontask-card-choices button")), TimeSpan.FromSeconds(5));

        page.Find(".turn-replay .kontask-card-choices button").Click();

        Assert.EndsWith($"/?session={Release}&prompt=Ship%20version%201.2.0", Navigation.Uri, StringComparison.Ordinal);
        Assert.Empty(Konsole.Started);
    }

    [Fact]
    public void A_turn_the_session_does_not_have_is_not_replayed_and_the_page_says_so()
    {
        var page = At(Release, "?turn=turn_nope");

        Assert.Empty(page.FindAll(".turn-replay"));
        Assert.Equal("This session has no turn turn_nope to replay.", page.Find(".session-no-turn").TextContent);
    }

    [Fact]
    public void A_claude_code_session_shows_its_prompts_read_only_and_offers_to_resume_it()
    {
        Konsole.CliSessions.Add(new CliSessionDetail(
            new CliSessionSummary(Terminal, "Why is the build slow?", 2, Now.AddHours(-3), Now.AddHours(-2), "projects/konui"),
            [new CliPrompt("Why is the build slow?", Now.AddHours(-3)), new CliPrompt("Profile it", Now.AddHours(-2))]));

        var page = At(Terminal);

        Assert.Equal("Claude Code", page.Find(".session-head .konui-tag").TextContent);
        Assert.Equal(["Why is the build slow?", "Profile it"], page.FindAll(".session-prompt-text").Select(p => p.TextContent));
        Assert.Equal("projects/konui", page.Find(".session-folder").TextContent);
        Assert.Equal("Resume in Dashboard", page.Find(".session-go").TextContent);
        Assert.Equal($"/?session={Terminal}", page.Find(".session-go").GetAttribute("href"));
        Assert.Empty(page.FindAll(".session-turn"));
        Assert.Empty(page.FindAll("textarea, .session-turn-replay"));
    }

    [Fact]
    public void A_session_nobody_has_is_reported_with_a_way_back()
    {
        var page = At("11111111-2222-3333-4444-555555555555");

        Assert.Contains("There is no session 11111111-2222-3333-4444-555555555555", page.Find(".session-missing").TextContent, StringComparison.Ordinal);
        Assert.Equal("sessions", page.Find(".session-missing a").GetAttribute("href"));
    }

    [Fact]
    public void When_konsole_does_not_answer_the_page_says_so()
    {
        Konsole.Unreachable = "Connection refused";

        var page = At(Release);

        Assert.Equal("Konsole could not give this session: Connection refused", page.Find("[role=alert]").TextContent);
    }
}
