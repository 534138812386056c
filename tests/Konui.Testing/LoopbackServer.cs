using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Testing;

/// <summary>
/// A bare Kestrel on 127.0.0.1 and a free port that answers every request with one handler: what the tests' stand-ins
/// for other servers (the model API, a push service, another web site, a slow proxy) run on.
/// </summary>
public static class LoopbackServer
{
    /// <summary>Starts one; the caller stops and disposes the app. Its base URL is http://127.0.0.1:port.</summary>
    public static async Task<(WebApplication App, string BaseUrl)> StartAsync(RequestDelegate answer, bool unlimitedRequestBodies = false,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            if (unlimitedRequestBodies) options.Limits.MaxRequestBodySize = null;
            options.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(answer);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel did not report the address it bound.");
        return (app, new Uri(address).GetLeftPart(UriPartial.Authority).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }
}
