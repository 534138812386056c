
namespace Konui.Blazor.Console;

public static class ConsoleExtensions
{
    /// <summary>The console: every machine's konsole and its sessions watched from one place, one console session per circuit.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddSingleton<Konsoles>();
        services.AddHostedService(sp => sp.GetRequiredService<Konsoles>());
        services.AddSingleton<SessionWatch>();
        services.AddScoped<ConsoleSession>();
        return services;
    }
}
