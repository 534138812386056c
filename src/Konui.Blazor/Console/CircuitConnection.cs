using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Konui.Blazor.Console;

/// <summary>Tells the circuit's console session when the browser's connection goes down and comes back.</summary>
internal sealed class CircuitConnection(ConsoleSession console) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken) =>
        console.SetConnectionAsync(ConnectionState.Connected);

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) =>
        console.SetConnectionAsync(ConnectionState.Reconnecting);
}
