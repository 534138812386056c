using Bunit;
using Konui.Blazor.Console;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Dashboard;

public sealed class EndedTurnCatchUpTests : DashboardTest
{
    [Fact]
    public async Task A_turn_whose_end_the_tab_never_heard_is_read_from_konsole_once_konsole_no_longer_runs_it()
    {
        var startedAt = Now.AddSeconds(-30);
        var events = TurnEvents("turn_lost_end", Lines("v2.1.329/turn-simple.jsonl"), "Are you done?", startedAt,
            new TurnEnd(true, null, new TurnTiming { TotalMs = 1200 }, 0.01));
        Konsole.EventsByTurnId["turn_lost_end"] = events;
        var page = OpenDashboard();
        foreach (var turnEvent in events.Take(3)) Publish("turn_lost_end", turnEvent);
        page.WaitForAssertion(() => Assert.Equal("running", page.Find("article.turn").GetAttribute("data-state")));

        var watch = Services.GetRequiredService<Konsoles>();
        await watch.StartAsync(CancellationToken.None);
        try
        {
            page.WaitForAssertion(() => Assert.Equal("ok", page.Find("article.turn").GetAttribute("data-state")), TimeSpan.FromSeconds(5));
            Assert.Contains("✓ Done", page.Find(".turn-result").TextContent, StringComparison.Ordinal);
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }
}
