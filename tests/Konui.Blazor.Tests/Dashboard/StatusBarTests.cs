using Bunit;
using Konui.Blazor.Console;
using Konui.Blazor.Replicas;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;
using DashboardPage = Konui.Blazor.Components.Pages.Dashboard.Dashboard;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>The status bar under the console: the turn's state and time, the last turn's cost, konsole's health.</summary>
public sealed class StatusBarTests : DashboardTest
{
    private static string TurnState(IRenderedComponent<DashboardPage> page) => page.Find(".status-turn").TextContent.Trim();

    private IRenderedComponent<DashboardPage> OpenWithRunningTurn(TimeSpan runningFor)
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        Publish("t-run", new TurnStart("t-run", SessionId, "req-run", "Run the tests", 0) { Seq = 1, At = Now - runningFor });
        Publish("t-run", new TurnInit("claude-opus-5-5", [], [], null, null, null, "2.1.329") { Seq = 2, At = Now });
        page.WaitForAssertion(() => Assert.Equal("running", page.Find(".status-turn").GetAttribute("data-state")));
        page.WaitForAssertion(() => Assert.Equal("claude-opus-5-5", page.Find(".status-model").TextContent));
        return page;
    }

    [Fact]
    public void Idle_after_a_turn_with_the_last_turns_duration_cost_and_model()
    {
        AddEndedTurn("t1", Lines("v2.1.329/turn-simple.jsonl"), "What is this project?", Now.AddMinutes(-5),
            new TurnEnd(true, null, new TurnTiming { TotalMs = 12_345 }, 0.045062));

        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".status-last"));

        Assert.Equal("Idle", TurnState(page));
        Assert.Equal("idle", page.Find(".status-turn").GetAttribute("data-state"));
        Assert.Equal("last: 12 s · $0.0451", page.Find(".status-last").TextContent.Trim());
        Assert.Equal("claude-opus-5-5", page.Find(".status-model").TextContent);
        Assert.Equal("session 5f0c2a9e", page.Find(".status-session").TextContent);
    }

    [Fact]
    public void The_replica_says_its_name_and_the_others_and_since_when_Redis_is_out_of_reach_until_it_answers_again()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        Assert.Equal("replica b", page.Find(".status-redis").TextContent.Trim());
        Assert.Equal("Sharing through Redis; no other replica heard from", page.Find(".status-redis").GetAttribute("title"));
        Redis.Heard([new ReplicaKonsole("a", "http://10.0.0.5:8666", Now), new ReplicaKonsole("c", "http://10.0.0.7:8666", Now)]);
        page.WaitForAssertion(() => Assert.Equal("Sharing through Redis with a, c", page.Find(".status-redis").GetAttribute("title")));

        Redis.Unreachable(Now.AddMinutes(-2));
        Redis.Unreachable(Now);
        page.WaitForAssertion(() => Assert.Equal("Redis unreachable since 2026-11-02 12:58", page.Find(".status-redis").TextContent.Trim()));

        Redis.Reachable();
        page.WaitForAssertion(() => Assert.Equal("replica b", page.Find(".status-redis").TextContent.Trim()));
    }

    [Fact]
    public void A_running_turn_shows_how_long_it_has_been_running()
    {
        var page = OpenWithRunningTurn(TimeSpan.FromSeconds(75));

        Assert.Equal("Running 1:15", TurnState(page));
        Assert.Equal("Stop", page.Find(".prompt-stop").TextContent);
        Assert.Empty(page.FindAll(".status-last"));
    }

    [Fact]
    public void A_running_turn_that_printed_nothing_for_a_while_says_for_how_long_until_output_comes()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        Publish("t-run", new TurnStart("t-run", SessionId, "req-run", "Run the tests", 0) { Seq = 1, At = Now.AddSeconds(-60) });
        Publish("t-run", new TurnInit("claude-opus-5-5", [], [], null, null, null, "2.1.329") { Seq = 2, At = Now.AddSeconds(-20) });

        page.WaitForAssertion(() => Assert.Equal("Running 1:00 · no output for 20 s", TurnState(page)));

        Publish("t-run", new TextDelta("msg_1", 0, "Running them now.") { Seq = 3, At = Now.AddSeconds(-1) });
        page.WaitForAssertion(() => Assert.Equal("Running 1:00", TurnState(page)));
        Assert.Empty(page.FindAll(".status-silent"));
    }

    [Fact]
    public void Stopping_shows_until_the_turn_ends_and_then_the_bar_is_idle_with_the_stopped_turn_as_the_last()
    {
        var page = OpenWithRunningTurn(TimeSpan.FromSeconds(75));

        page.Find(".prompt-stop").Click();

        page.WaitForAssertion(() => Assert.Equal("Stopping 1:15", TurnState(page)));
        // The bar says so at once; the stop goes to konsole right after.
        page.WaitForAssertion(() => Assert.Equal(["t-run"], Konsole.Stopped));
        var stop = page.Find(".prompt-stop");
        Assert.Equal("Stopping…", stop.TextContent);
        Assert.True(stop.HasAttribute("disabled"));

        Publish("t-run", new TurnEnd(false, "interrupted", new TurnTiming { TotalMs = 76_000 }, 0.0123) { Seq = 3, At = Now });

        page.WaitForAssertion(() => Assert.Equal("Idle", TurnState(page)));
        Assert.Equal("last: 76 s · $0.0123", page.Find(".status-last").TextContent.Trim());
        Assert.Empty(page.FindAll(".prompt-stop"));
    }

    [Fact]
    public async Task Konsole_with_the_cli_found_shows_the_cli_version_as_healthy()
    {
        var page = OpenDashboard();
        Assert.Equal("konsole…", page.Find(".status-konsole").TextContent);
        var watch = Services.GetRequiredService<Konsoles>();

        await watch.StartAsync(CancellationToken.None);
        try
        {
            page.WaitForAssertion(() => Assert.Equal("claude 2.1.197", page.Find(".status-konsole").TextContent));
            Assert.Contains("ok", page.Find(".status-konsole").ClassList);
            Assert.Equal("Konsole and the Claude Code CLI are ready", page.Find(".status-konsole").GetAttribute("title"));
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task With_only_the_local_konsole_nothing_says_which_machine()
    {
        var page = OpenDashboard();
        var konsoles = Services.GetRequiredService<Konsoles>();

        await konsoles.StartAsync(CancellationToken.None);
        try
        {
            page.WaitForAssertion(() => Assert.Equal("claude 2.1.197", page.Find(".status-konsole").TextContent));
            Assert.Empty(page.FindAll(".status-machine"));
            Assert.Empty(page.FindAll(".machine-name"));
            Konsole.Unreachable = "Connection refused";
            page.WaitForAssertion(() => Assert.Equal("konsole unreachable", page.Find(".status-konsole").TextContent), TimeSpan.FromSeconds(10));
            Assert.Empty(page.FindAll(".status-machine"));
        }
        finally
        {
            await konsoles.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Konsole_without_the_cli_says_the_claude_code_cli_is_not_found()
    {
        Konsole.Status = new KonsoleStatus(new ClaudeCliStatus("claude", false, null, "claude was not found on the PATH"), [], 0);
        var page = OpenDashboard();
        var watch = Services.GetRequiredService<Konsoles>();

        await watch.StartAsync(CancellationToken.None);
        try
        {
            page.WaitForAssertion(() => Assert.Equal("Claude Code CLI not found", page.Find(".status-konsole").TextContent));
            Assert.Contains("bad", page.Find(".status-konsole").ClassList);
            Assert.Equal("claude was not found on the PATH", page.Find(".status-konsole").GetAttribute("title"));
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_session_id_that_is_not_one_is_refused_with_a_clear_error_and_the_page_stays_usable()
    {
        var page = OpenDashboard("?session=abc");

        page.WaitForAssertion(() => Assert.Equal("'abc' is not a session id.", page.Find(".console-error").TextContent));
        Assert.NotNull(page.Find(".transcript-empty"));
        Assert.Empty(page.FindAll(".status-session"));
    }
}
