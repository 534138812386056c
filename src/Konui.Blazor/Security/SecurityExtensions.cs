using Konui.Blazor.Hosting;

namespace Konui.Blazor.Security;

public static class SecurityExtensions
{
    /// <summary>
    /// Refuses to start when Konui would listen beyond loopback without an access token, and registers the token
    /// when one is configured.
    /// </summary>
    public static WebApplicationBuilder AddKonuiSecurity(this WebApplicationBuilder builder)
    {
        var token = builder.Configuration[$"{KonuiOptions.Section}:{nameof(KonuiOptions.AccessToken)}"];
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? KonuiOptions.DefaultUrl;
        var exposed = ListenAddresses.NotLoopback(urls).ToList();
        if (exposed.Count > 0 && string.IsNullOrWhiteSpace(token))
        {
            global::System.Console.Error.WriteLine(
                $"Konui would listen on {string.Join(", ", exposed)}, which other machines can reach, and the dashboard can make an agent run commands. " +
                "Set an access token (Konui:AccessToken in appsettings.json, or the Konui__AccessToken environment variable), or listen on 127.0.0.1.");
            Environment.Exit(2);
        }
        if (!string.IsNullOrWhiteSpace(token))
        {
            builder.Services.AddSingleton(new AccessToken(token));
            builder.Services.AddSingleton<SignInThrottle>();
        }
        return builder;
    }

    public static WebApplication UseKonuiSecurity(this WebApplication app)
    {
        // The configured urls are checked before start; Kestrel endpoints in configuration can add others, so the
        // addresses actually bound are checked too.
        if (app.Services.GetService<AccessToken>() is null)
        {
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                    .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
                var exposed = bound.SelectMany(ListenAddresses.NotLoopback).ToList();
                if (exposed.Count == 0) return;
                global::System.Console.Error.WriteLine($"Konui is listening on {string.Join(", ", exposed)} without an access token; stopping. Set Konui:AccessToken or listen on 127.0.0.1.");
                Environment.ExitCode = 2;
                app.Lifetime.StopApplication();
            });
        }
        app.UseMiddleware<AccessGate>();
        app.MapSignIn();
        return app;
    }
}
