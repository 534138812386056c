using Konui.Blazor.Hosting;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using Microsoft.Extensions.Options;

namespace Konui.Blazor.Kontasks;

public static class KontasksExtensions
{
    /// <summary>
    /// The event bus and the kontask store over the configured kontasks.jsonl, indexed before Konui listens; and the
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
        services.AddHostedService<KontaskStoreStartup>();
        services.AddSingleton<KontaskTurnTiming>();
        services.AddHostedService(sp => sp.GetRequiredService<KontaskTurnTiming>());
        return services;
    }
}
