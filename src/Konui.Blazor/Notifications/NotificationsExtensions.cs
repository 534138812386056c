using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Konui.Blazor.Notifications;

public static class NotificationsExtensions
{
    /// <summary>Notices read from the bus, which events notify, and the tabs open now (each circuit reports its own).</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<Notices>();
        services.AddSingleton<NotificationSettings>();
        services.AddSingleton<OpenTabs>();
        services.AddScoped<TabPresence>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<TabPresence>());
        return services;
    }

    /// <summary>Makes the notices' reader now, before Konui follows any turn, so that it misses none.</summary>
    public static WebApplication MapNotifications(this WebApplication app)
    {
        app.Services.GetRequiredService<Notices>();
        return app;
    }
}
