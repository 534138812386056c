using Konui.Blazor.Konsole;

namespace Konui.Blazor.Console;

public static class ConsoleExtensions
{
    /// <summary>The console: konsole watched from one place, one console session per circuit.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddSingleton<KonsoleWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<KonsoleWatch>());
        services.AddScoped<ConsoleSession>();
        return services;
    }
}
