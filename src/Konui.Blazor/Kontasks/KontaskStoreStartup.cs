using Konui.Core.Kontasks;

namespace Konui.Blazor.Kontasks;

/// <summary>Indexes kontasks.jsonl before Konui starts listening, then keeps following it.</summary>
internal sealed class KontaskStoreStartup(KontaskStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
