using System.Net.Http.Headers;
using Konsole;
using Konui.Blazor.Hosting;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>
/// How Konui reaches konsole: over HTTP and SSE through <see cref="KonsoleClient"/>, always. By default konsole's
/// services and endpoints run inside Konui and the client calls Konui's own address; with Konsole:Url set, the
/// client calls that standalone konsole instead and none runs here.
/// </summary>
public static class KonsoleConnection
{
    public static WebApplicationBuilder AddKonsoleConnection(this WebApplicationBuilder builder)
    {
        var konsole = builder.Configuration.GetSection(KonsoleOptions.Section).Get<KonsoleOptions>() ?? new KonsoleOptions();
        var konui = builder.Configuration.GetSection(KonuiOptions.Section).Get<KonuiOptions>() ?? new KonuiOptions();
        var ownUrl = LoopbackUrl(builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? KonuiOptions.DefaultUrl);
        var embedded = string.IsNullOrWhiteSpace(konsole.Url);
        if (embedded)
        {
            konsole.DataDir = konui.ResolveDataDir(builder.Environment.ContentRootPath);
            konsole.KonuiMcpUrl = ownUrl + "/mcp";
            konsole.KonuiAccessToken = konui.AccessToken;
            builder.Services.AddKonsole(konsole);
        }
        var baseUrl = embedded ? ownUrl : konsole.Url!.TrimEnd('/');
        var token = embedded ? konui.AccessToken : konsole.AccessToken;
        builder.Services.AddHttpClient<KonsoleClient>(http =>
        {
            http.BaseAddress = new Uri(baseUrl + "/");
            http.Timeout = Timeout.InfiniteTimeSpan;
            if (!string.IsNullOrWhiteSpace(token)) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        });
        builder.Services.AddTransient<ITurnPrompts, KonsoleTurnPrompts>();
        return builder;
    }

    /// <summary>Maps konsole's API into Konui when konsole runs embedded.</summary>
    public static WebApplication MapEmbeddedKonsole(this WebApplication app)
    {
        if (app.Services.GetService<TurnRunner>() is not null) app.MapKonsole();
        return app;
    }

    /// <summary>Konui's own address as seen from this machine: the first configured URL, wildcards made 127.0.0.1.</summary>
    internal static string LoopbackUrl(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var uri = new UriBuilder(first.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "127.0.0.1";
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
