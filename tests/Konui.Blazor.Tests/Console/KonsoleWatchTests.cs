using Konui.Blazor.Console;
using Konui.Core.Events;
using Konui.Core.Konsole;
using Microsoft.Extensions.Logging.Abstractions;

namespace Konui.Blazor.Tests.Console;

/// <summary>Konui's watch on one konsole, started and stopped as Konui starts and stops.</summary>
public sealed class KonsoleWatchTests
{
    [Fact]
    public async Task Konui_stops_cleanly_while_a_konsole_has_not_answered_its_status_yet()
    {
        var konsole = new FakeKonsole { Silent = true };
        using var watch = new KonsoleWatch(new KonsoleClient(konsole.CreateClient("")), new EventBus(), TimeProvider.System, NullLogger.Instance);
        watch.Start();
        for (var waited = 0; konsole.UnansweredRequests == 0 && waited < 200; waited++) await Task.Delay(25);
        Assert.Equal(1, konsole.UnansweredRequests);

        await watch.StopAsync();

        Assert.Null(watch.Problem);
        Assert.Null(watch.Status);
    }
}
