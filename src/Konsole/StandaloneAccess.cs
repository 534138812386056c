using System.Security.Cryptography;
using System.Text;

namespace Konsole;

/// <summary>A standalone konsole with Konsole:AccessToken set answers only requests that carry it as a bearer token.</summary>
internal sealed class StandaloneAccess(RequestDelegate next, KonsoleOptions options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (string.IsNullOrEmpty(options.AccessToken) || Carries(http, options.AccessToken))
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
