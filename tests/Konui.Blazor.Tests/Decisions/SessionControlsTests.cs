using System.Text.Json;
using Bunit;
using Konui.Blazor.Tests.Dashboard;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Blazor.Tests.Decisions;

/// <summary>The session's mode, model and rules in the status bar, and the prompts queued under a running turn.</summary>
public sealed class SessionControlsTests : DashboardTest
{
    private static readonly SessionRule TouchRule = new("rule_1", SessionRule.RuleKind, "Bash", "Bash(touch touched.txt)", null, null, "dec_1", Now.AddMinutes(-2));
    private static readonly SessionRule EchoCall = new("rule_2", SessionRule.CallKind, "Bash", null, null,
        JsonDocument.Parse("""{"command":"echo approved > approved.txt"}""").RootElement.Clone(), "dec_2", Now.AddMinutes(-1));

    private IRenderedComponent<DashboardInLayout> Open(Func<SessionStatus, SessionStatus>? shape = null)
    {
        Konsole.UpdateSession(SessionId, shape ?? (s => s));
        Navigation.NavigateTo("?session=" + SessionId);
        var page = Render<DashboardInLayout>();
        page.WaitForElement(".status-mode");
        return page;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_mode_menu_offers_bypass_permissions_only_where_the_sessions_cli_accepts_it(bool allowed)
    {
        var page = Open(s => s with { BypassAllowed = allowed });

        page.Find(".status-mode button").Click();

        page.WaitForElement(".status-mode-item[data-mode='plan']");
        string[] offered = allowed ? ["default", "acceptEdits", "plan", "bypassPermissions"] : ["default", "acceptEdits", "plan"];
        Assert.Equal(offered, page.FindAll(".status-mode-item").Select(i => i.GetAttribute("data-mode")));
    }

    [Fact]
    public void The_status_bar_shows_the_sessions_mode_and_model_and_switches_the_mode_from_its_menu()
    {
        var page = Open();
        Assert.Equal("default", page.Find(".status-mode").GetAttribute("data-mode"));
        Assert.Equal("claude-test", page.Find(".status-model").GetAttribute("data-model"));
        Assert.Equal("nothing allowed", page.Find(".status-rules").TextContent.Trim());

        page.Find(".status-mode button").Click();
        page.WaitForElement(".status-mode-item[data-mode='acceptEdits']").Click();

        page.WaitForAssertion(() => Assert.Equal(["mode acceptEdits"], Konsole.SessionChanges));
        page.WaitForAssertion(() => Assert.Equal("acceptEdits", page.Find(".status-mode").GetAttribute("data-mode")));
    }

    [Fact]
    public void Another_model_is_typed_and_switched_to_with_enter()
    {
        var page = Open();

        page.Find(".status-model button").Click();
        page.WaitForElement(".status-model-other").Click();
        page.WaitForElement(".status-model-input").Input("claude-other");
        page.Find(".status-model-input").KeyDown("Enter");

        page.WaitForAssertion(() => Assert.Equal(["model claude-other"], Konsole.SessionChanges));
        page.WaitForAssertion(() => Assert.Equal("claude-other", page.Find(".status-model").GetAttribute("data-model")));
        // The session's new model shows as soon as konsole answers; the field closes when the switch returns.
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".status-model-input")));
    }

    [Fact]
    public void A_mode_konsole_refuses_shows_why_and_changes_nothing()
    {
        var page = Open();
        Konsole.Unreachable = "connection refused";

        page.Find(".status-mode button").Click();
        page.WaitForElement(".status-mode-item[data-mode='plan']").Click();

        page.WaitForAssertion(() => Assert.Equal("Could not switch to plan: connection refused", page.Find(".console-error").TextContent));
        Assert.Equal("default", page.Find(".status-mode").GetAttribute("data-mode"));
    }

    [Fact]
    public void What_was_allowed_for_the_session_is_listed_and_revoked()
    {
        var page = Open(s => s with { Rules = [TouchRule, EchoCall] });
        Assert.Equal("2 allowed", page.Find(".status-rules").TextContent.Trim());

        page.Find(".status-rules").Click();

        page.WaitForAssertion(() => Assert.Equal(["Bash(touch touched.txt)", "Bash: echo approved > approved.txt (this exact call)"],
            page.FindAll(".session-rule-text").Select(r => r.TextContent)));
        page.Find(".session-rule[data-rule-id='rule_1'] .session-rule-revoke").Click();

        page.WaitForAssertion(() => Assert.Equal(["revoke rule_1"], Konsole.SessionChanges));
        page.WaitForAssertion(() => Assert.Equal(["Bash: echo approved > approved.txt (this exact call)"], page.FindAll(".session-rule-text").Select(r => r.TextContent)));
        Assert.Equal("1 allowed", page.Find(".status-rules").TextContent.Trim());
        // When it applies is said once the revoke has returned, after the list followed the session.
        page.WaitForAssertion(() => Assert.Equal("revoked: after the running turn", page.Find(".status-applied").TextContent));
    }

    [Fact]
    public void A_change_made_elsewhere_shows_within_the_next_poll()
    {
        var page = Open();

        Konsole.UpdateSession(SessionId, s => s with { PermissionMode = "plan", Model = "opus" });

        page.WaitForAssertion(() => Assert.Equal(("plan", "opus"), (page.Find(".status-mode").GetAttribute("data-mode"), page.Find(".status-model").GetAttribute("data-model"))),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_queued_prompt_konsole_ran_between_two_polls_shows_as_its_turn()
    {
        var queued = new QueuedPrompt("q_1", SessionId, "req_q1", "Then the docs", 0, Now);
        var page = Open(s => s with { Queue = [queued], RunningTurnId = "t-run" });
        page.WaitForAssertion(() => Assert.Equal(["Then the docs"], page.FindAll(".queued-text").Select(q => q.TextContent)));

        Konsole.AddTurn(new TurnScript("t-docs", SessionId, "req_q1", "Then the docs", Now).Init().Text("Docs written.").End(true, 900, 0.01));
        Konsole.UpdateSession(SessionId, s => s with { Queue = [], RunningTurnId = null });

        page.WaitForAssertion(() => Assert.Equal("Docs written.", page.Find("article.turn[data-turn-id='t-docs'] .assistant-text").TextContent.Trim()), TimeSpan.FromSeconds(5));
        Assert.Equal("ok", page.Find("article.turn[data-turn-id='t-docs']").GetAttribute("data-state"));
        Assert.Empty(page.FindAll(".prompt-queue"));
    }

    [Fact]
    public async Task Prompts_sent_during_a_turn_wait_under_it_in_order_and_can_be_edited_and_removed()
    {
        var page = Open();
        Publish("t-run", new TurnStart("t-run", SessionId, "req-run", "Build it", 0) { Seq = 1, At = Now });
        page.WaitForAssertion(() => Assert.Equal("Queue", page.Find("button.prompt-send").TextContent.Trim()));
        Konsole.QueueBehind = "t-run";

        foreach (var prompt in new[] { "Then the tests", "Then the docs" })
        {
            page.Find("textarea.prompt-text").Input(prompt);
            page.Find("button.prompt-send").Click();
            page.WaitForAssertion(() => Assert.Equal("", page.Find("textarea.prompt-text").GetAttribute("value")));
        }

        List<string> Queued() => page.FindAll(".queued-prompt .queued-text").Select(q => q.TextContent).ToList();
        page.WaitForAssertion(() => Assert.Equal(["Then the tests", "Then the docs"], Queued()), TimeSpan.FromSeconds(5));
        Assert.True(page.Find("article.turn").NextElementSibling?.ClassList.Contains("prompt-queue"), "the queue waits under the running turn");
        Assert.Empty(Konsole.Started);

        // The session's status poll re-renders the queue now and then: finding an element and using it happen on the
        // renderer's own thread, so no re-render comes between them and takes the click (bUnit's advice).
        await page.InvokeAsync(() => page.Find(".queued-prompt[data-queued-id='q_1'] .queued-edit-open").Click());
        page.WaitForElement(".queued-edit");
        await page.InvokeAsync(() => page.Find(".queued-edit").Input("Then all the tests"));
        await page.InvokeAsync(() => page.Find(".queued-save").Click());
        page.WaitForAssertion(() => Assert.Equal(["Then all the tests", "Then the docs"], Queued()));

        await page.InvokeAsync(() => page.Find(".queued-prompt[data-queued-id='q_2'] .queued-remove").Click());
        page.WaitForAssertion(() => Assert.Equal(["Then all the tests"], Queued()));
        Assert.Equal(["edit q_1 Then all the tests", "remove q_2"], Konsole.SessionChanges);
    }
}
