using Bunit;
using Konui.Blazor.Components.Pages.Dashboard;
using Konui.Blazor.Console;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>
/// Components follow the console session by subscribing to it: any one of them is enough (no page lends the session its
/// dispatcher), and a subscription disposed of hears nothing more.
/// </summary>
public sealed class ConsoleSubscriptionTests : DashboardTest
{
    private ConsoleSession Console => Services.GetRequiredService<ConsoleSession>();

    [Fact]
    public async Task The_status_bar_alone_follows_a_turn_starting_and_ending()
    {
        var bar = Render<StatusBar>();
        await bar.InvokeAsync(() => Console.OpenAsync(SessionId));
        Assert.Equal("Idle", bar.Find(".status-turn").TextContent.Trim());

        Publish("t1", new TurnStart("t1", SessionId, "req-1", "Run the tests", 0) { Seq = 1, At = Now.AddSeconds(-5) });
        bar.WaitForAssertion(() => Assert.Equal("Running 0:05", bar.Find(".status-turn").TextContent.Trim()));

        Publish("t1", new TurnEnd(true, null, new TurnTiming { TotalMs = 5_000 }, 0.01) { Seq = 2, At = Now });
        bar.WaitForAssertion(() => Assert.Equal("Idle", bar.Find(".status-turn").TextContent.Trim()));
        Assert.Equal("last: 5.0 s · $0.0100", bar.Find(".status-last").TextContent.Trim());
    }

    [Fact]
    public async Task A_disposed_subscription_hears_nothing_more_while_the_others_still_do()
    {
        var bar = Render<StatusBar>();
        var heard = new List<ConsoleChange>();
        var subscription = await bar.InvokeAsync(() => Console.Subscribe(change =>
        {
            lock (heard) heard.Add(change);
            return Task.CompletedTask;
        }));
        await bar.InvokeAsync(() => Console.OpenAsync(SessionId));
        Publish("t1", new TurnStart("t1", SessionId, "req-1", "Run the tests", 0) { Seq = 1, At = Now });
        bar.WaitForAssertion(() => Assert.Equal("running", bar.Find(".status-turn").GetAttribute("data-state")));
        lock (heard) Assert.Contains(heard, change => change.HasFlag(ConsoleChange.Transcript));

        subscription.Dispose();
        int before;
        lock (heard) before = heard.Count;
        Publish("t1", new TurnEnd(true, null, new TurnTiming { TotalMs = 1_000 }, 0.01) { Seq = 2, At = Now });

        bar.WaitForAssertion(() => Assert.Equal("idle", bar.Find(".status-turn").GetAttribute("data-state")));
        lock (heard) Assert.Equal(before, heard.Count);
    }
}
