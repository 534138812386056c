using Microsoft.Extensions.DependencyInjection;

namespace Konsole;

public static class KonsoleExtensions
{
    /// <summary>Konsole's services: the CLI and its transcript store, the turn runner and the spare CLI (started and stopped with the host), the project folders.</summary>
    public static IServiceCollection AddKonsole(this IServiceCollection services, KonsoleOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ClaudeCli>();
        services.AddSingleton<ClaudeTranscripts>();
        services.AddSingleton<SessionDefaultsFile>();
        services.AddSingleton<SpareCli>();
        services.AddSingleton<TurnRunner>();
        services.AddSingleton<ProjectFolders>();
        services.AddHostedService(sp => sp.GetRequiredService<TurnRunner>());
        services.AddHostedService(sp => sp.GetRequiredService<SpareCli>());
        services.TryAddTimeProvider();
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(s => s.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
