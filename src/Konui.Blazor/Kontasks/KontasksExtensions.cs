using Konui.Blazor.Hosting;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using Microsoft.Extensions.Options;

namespace Konui.Blazor.Kontasks;

public static class KontasksExtensions
{
    /// <summary>
    /// The event bus and the kontask store over the configured kontasks.jsonl (see <see cref="IndexKontasks"/>); and the
    /// turn timing kontasks get when their turn ends (it follows turns on every machine through <see cref="Konui.Blazor.Console.Konsoles"/>).
    /// </summary>
    public static IServiceCollection AddKontasks(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EventBus>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KonuiOptions>>().Value;
            var contentRoot = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new KontaskStore(
                new KontaskStoreOptions(options.ResolveKontasksFile(contentRoot)) { PollInterval = options.KontasksPollInterval },
                sp.GetRequiredService<EventBus>(),
                sp.GetRequiredService<ILogger<KontaskStore>>());
        });
        services.AddSingleton<KontaskTurnTiming>();
        services.AddHostedService(sp => sp.GetRequiredService<KontaskTurnTiming>());
        return services;
    }

    /// <summary>
    /// Starts indexing kontasks.jsonl now, on a thread of its own, and following it after that. Called as soon as the
    /// app is built, so that the index is read while the endpoints are mapped and the host starts, not after: a page
    /// that needs kontasks waits for the whole index, and with 100,000 of them that wait was most of a first page's.
    /// </summary>
    public static WebApplication IndexKontasks(this WebApplication app)
    {
        app.Services.GetRequiredService<KontaskStore>().StartInBackground();
        return app;
    }
}
