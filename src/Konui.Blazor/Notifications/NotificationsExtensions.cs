using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Konui.Blazor.Notifications;

public static class NotificationsExtensions
{
    /// <summary>
    /// Notices read from the bus, which events notify, the tabs open now (each circuit reports its own), and Web Push:
    /// Konui's VAPID keys, the subscribed devices and the notifier that sends to them.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<Notices>();
        services.AddSingleton<VapidKeys>();
        services.AddSingleton<PushDevices>();
        services.AddSingleton<PushNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<PushNotifier>());
        services.AddHttpClient(nameof(PushNotifier), http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<NotificationSettings>();
        services.AddSingleton<OpenTabs>();
        services.AddScoped<TabPresence>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<TabPresence>());
        return services;
    }

    /// <summary>The push devices' API; and the notices' reader, made now, before Konui follows any turn, so that it misses none.</summary>
    public static WebApplication MapNotifications(this WebApplication app)
    {
        app.Services.GetRequiredService<Notices>();
        app.MapPushDevices();
        return app;
    }
}
