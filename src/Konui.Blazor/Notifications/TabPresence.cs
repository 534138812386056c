using Konui.Blazor.Console;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Konui.Blazor.Notifications;

/// <summary>
/// One tab as the server knows it (one per circuit): the page reports whether it is visible
/// (document.visibilityState, through its circuit) and whether it is on the Dashboard, which shows its console
/// session; the circuit says whether the tab is connected. A tab counts as seen while it is visible and connected; a paused or closed one is gone.
/// </summary>
public sealed class TabPresence(OpenTabs tabs, ConsoleSession console) : CircuitHandler
{
    private volatile bool _visible = true;
    private volatile bool _connected = true;

    public bool OnDashboard { get; set; }

    /// <summary>The console session the tab shows: the Dashboard's, while it is on the Dashboard.</summary>
    public string? SessionId => OnDashboard ? console.SessionId : null;

    public bool IsSeen => _visible && _connected;

    public void Report(bool visible) => _visible = visible;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        tabs.Add(this);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _connected = false;
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _connected = true;
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        tabs.Remove(this);
        return Task.CompletedTask;
    }
}
