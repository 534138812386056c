namespace Konui.Blazor.Hosting;

public static class HostingExtensions
{
    /// <summary>
    /// Konui's defaults: configuration from the content root (the repo root when started from there), static web
    /// assets in every environment, and http://127.0.0.1:8666 unless urls are configured.
    /// </summary>
    public static WebApplicationBuilder AddKonuiHosting(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(KonuiOptions.DefaultUrl);
        }
        builder.Services.Configure<KonuiOptions>(builder.Configuration.GetSection(KonuiOptions.Section));
        return builder;
    }

    public static WebApplication UseKonuiHosting(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }
        app.UseMiddleware<global::Konsole.BodyLimit>();
        app.UseAntiforgery();
        return app;
    }
}
