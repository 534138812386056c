using Konui.Core.Kontasks;

namespace Konui.Blazor.Kontasks;

/// <summary>
/// Indexes kontasks.jsonl while Konui starts listening (a page that needs kontasks waits for the index), then keeps
/// following it.
/// </summary>
internal sealed class KontaskStoreStartup(KontaskStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.StartInBackground();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
