using System.Security.Cryptography;
using System.Text;
using Konui.Core;

namespace Konsole;

/// <summary>
/// A standalone konsole serves Konui, not browsers: a request with an Origin (a web page) is refused, and so is a
/// POST that is not JSON (which a page could send without asking). With Konsole:AccessToken set, every request must
/// carry it as a bearer token; without one, only 127.0.0.1 and localhost are answered (no rebound names).
/// </summary>
internal sealed class StandaloneAccess(RequestDelegate next, KonsoleOptions options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.Headers.Origin.Count > 0 || (HttpMethods.IsPost(http.Request.Method) && http.Request.ContentLength > 0
            && !(http.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsJsonAsync(new { error = "Konsole answers Konui, not web pages: no Origin, and JSON bodies only." });
            return;
        }
        if (string.IsNullOrEmpty(options.AccessToken) ? Loopback.IsHost(http.Request.Host.Host) : Carries(http, options.AccessToken))
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"konsole\"";
        await http.Response.WriteAsJsonAsync(new { error = "Konsole needs its access token: send Authorization: Bearer <token>." });
    }

    private static bool Carries(HttpContext http, string token)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
