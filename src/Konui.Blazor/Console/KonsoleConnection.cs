using Konsole;
using Konui.Blazor.Hosting;
using Konui.Blazor.Security;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>
/// How Konui reaches konsole: over HTTP and SSE through <see cref="KonsoleClient"/>, always. By default konsole's
/// services and endpoints run inside Konui and the client calls Konui's own address; with Konsole:Url set, the
/// client calls that standalone konsole instead and none runs here. Either is the machine "local"; Konsole:Hosts
/// names konsoles on other machines (<see cref="Konsoles"/>).
/// </summary>
public static class KonsoleConnection
{
    /// <summary>Konsoles on other hosts, each { Name, Url, AccessToken }, beside "local".</summary>
    public const string HostsSection = "Konsole:Hosts";

    public static WebApplicationBuilder AddKonsoleConnection(this WebApplicationBuilder builder)
    {
        var konsole = builder.Configuration.GetSection(KonsoleOptions.Section).Get<KonsoleOptions>() ?? new KonsoleOptions();
        var konui = builder.Configuration.GetSection(KonuiOptions.Section).Get<KonuiOptions>() ?? new KonuiOptions();
        var ownUrl = LoopbackUrl(builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? KonuiOptions.DefaultUrl);
        var embedded = string.IsNullOrWhiteSpace(konsole.Url);
        string? embeddedKey = null;
        if (embedded)
        {
            konsole.DataDir = konui.ResolveDataDir(builder.Environment.ContentRootPath);
            konsole.KonuiMcpUrl = ownUrl + "/mcp";
            konsole.KonuiAccessToken = konui.AccessToken;
            builder.Services.AddKonsole(konsole);
            if (!string.IsNullOrWhiteSpace(konui.AccessToken))
            {
                var key = new EmbeddedKonsoleKey();
                builder.Services.AddSingleton(key);
                embeddedKey = key.Value;
            }
        }
        var hosts = builder.Configuration.GetSection(HostsSection).Get<List<KonsoleHost>>() ?? [];
        if (KonsoleHost.Problems(hosts) is { Count: > 0 } problems)
        {
            global::System.Console.Error.WriteLine($"Konui cannot start: {HostsSection} is not right:\n  {string.Join("\n  ", problems)}");
            Environment.Exit(2);
        }
        builder.Services.AddSingleton(new KonsoleHost
        {
            Name = Konsoles.LocalName,
            Url = embedded ? ownUrl : konsole.Url!.TrimEnd('/'),
            AccessToken = embedded ? embeddedKey : konsole.AccessToken,
        });
        foreach (var host in hosts) builder.Services.AddSingleton(host);
        builder.Services.AddHttpClient(nameof(KonsoleClient));
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
