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
        if (!string.IsNullOrWhiteSpace(token)) builder.Services.AddSingleton(new AccessToken(token));
        return builder;
    }

    public static WebApplication UseKonuiSecurity(this WebApplication app)
    {
        app.UseMiddleware<AccessGate>();
        app.MapSignIn();
        return app;
    }
}
