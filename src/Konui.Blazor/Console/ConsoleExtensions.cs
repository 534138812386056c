using Konui.Blazor.Konsole;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Konui.Blazor.Console;

public static class ConsoleExtensions
{
    /// <summary>The console: konsole watched from one place, one console session per circuit, connection tracking.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddSingleton<KonsoleWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<KonsoleWatch>());
        services.AddScoped<ConsoleSession>();
        services.AddScoped<CircuitHandler, CircuitConnection>();
        return services;
    }
}
