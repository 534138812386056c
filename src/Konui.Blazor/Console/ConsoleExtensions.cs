
namespace Konui.Blazor.Console;

public static class ConsoleExtensions
{
    /// <summary>The console: konsole and its sessions watched from one place, one console session per circuit.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddSingleton<KonsoleWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<KonsoleWatch>());
        services.AddSingleton<SessionWatch>();
        services.AddScoped<ConsoleSession>();
        return services;
    }
}
