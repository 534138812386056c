using Konui.Core;
using Konui.Core.Konsole;
using Microsoft.Extensions.Primitives;

namespace Konui.Blazor.Security;

/// <summary>
/// Guards every request. Always: the Blazor hub, /mcp and /api refuse a browser Origin other than Konui's own
/// (so no other web page can drive the dashboard or create kontasks). With an access token: everything but static
/// assets (the app shell a service worker keeps included: the offline page, the manifest, the icons) and the sign-in
/// page demands the token, as a bearer header or the sign-in cookie; /mcp also takes the CLIs' <see cref="McpToken"/>,
/// and the embedded konsole's API Konui's own <see cref="EmbeddedKonsoleKey"/>, both unthrottled.
/// </summary>
public sealed class AccessGate(RequestDelegate next, AccessToken? token = null, SignInThrottle? throttle = null, EmbeddedKonsoleKey? embeddedKonsole = null)
{
    private static readonly string[] StaticPrefixes = ["/_framework/", "/_content/", "/lib/", "/js/", "/icons/"];
    private static readonly string[] StaticExtensions = [".css", ".js", ".svg", ".ico", ".png", ".map", ".woff", ".woff2", ".webmanifest"];
    private static readonly string[] PublicPages = [SignInEndpoints.Path, "/offline.html"];

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (token is null && !Loopback.IsHost(http.Request.Host.Host))
        {
            // Without a token Konui listens on loopback only, so any other Host is a name rebound to 127.0.0.1 by a
            // web page (DNS rebinding): its Origin would match that Host, so the Origin check alone cannot refuse it.
            await Refuse(http, StatusCodes.Status403Forbidden, $"Konui answers to 127.0.0.1 and localhost only, not to {http.Request.Host.Host}.");
            return;
        }
        if (IsProgrammatic(path) && IsForeignOrigin(http.Request))
        {
            await Refuse(http, StatusCodes.Status403Forbidden, $"Origin {http.Request.Headers.Origin} may not use Konui.");
            return;
        }
        if (token is null || IsPublic(http.Request, path))
        {
            await next(http);
            return;
        }
        var bearer = Bearer(http.Request);
        if (bearer is not null && (IsMcp(path) ? token.IsMcpToken(bearer) : IsKonsoleApi(path) && embeddedKonsole?.Matches(bearer) == true))
        {
            await next(http);
            return;
        }
        if (bearer is not null && throttle!.WaitFor(SignInThrottle.ClientOf(http)) is var wait && wait > TimeSpan.Zero)
        {
            var seconds = RetryAfter(http, wait);
            await Refuse(http, StatusCodes.Status429TooManyRequests, $"Too many wrong tokens from here: try again in {seconds} s.");
            return;
        }
        if (IsSignedIn(http, bearer))
        {
            await next(http);
            return;
        }
        if (IsProgrammatic(path) || !HttpMethods.IsGet(http.Request.Method))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"konui\"";
            await Refuse(http, StatusCodes.Status401Unauthorized, "Konui needs its access token: send Authorization: Bearer <token>, or sign in at /signin.");
            return;
        }
        http.Response.Redirect(SignInEndpoints.Path + "?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
    }

    /// <summary>A bearer token is a guess at the access token, so its failures count against the client.</summary>
    private bool IsSignedIn(HttpContext http, string? bearer)
    {
        if (bearer is not null)
        {
            var client = SignInThrottle.ClientOf(http);
            if (token!.Matches(bearer))
            {
                throttle!.Succeeded(client);
                return true;
            }
            throttle!.Failed(client);
        }
        return token!.IsCookie(http.Request.Cookies[AccessToken.CookieName]);
    }

    private static string? Bearer(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    /// <summary>Says in Retry-After how long a throttled client waits; returns the whole seconds it said.</summary>
    public static long RetryAfter(HttpContext http, TimeSpan wait)
    {
        var seconds = (long)Math.Ceiling(wait.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return seconds;
    }

    private static bool IsProgrammatic(string path) =>
        path.StartsWith("/_blazor", StringComparison.OrdinalIgnoreCase)
        || IsMcp(path)
        || path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase);

    private static bool IsMcp(string path) => path.StartsWith("/mcp", StringComparison.OrdinalIgnoreCase);

    private static bool IsKonsoleApi(string path) => path.StartsWith("/" + KonsoleClient.ApiRoot + "/", StringComparison.OrdinalIgnoreCase);

    private static bool IsPublic(HttpRequest request, string path)
    {
        if (PublicPages.Contains(path, StringComparer.OrdinalIgnoreCase)) return true;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        if (StaticPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase))) return true;
        return path.LastIndexOf('/') == 0 && StaticExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A browser says where a request comes from; Konui's own pages come from its own scheme and host.</summary>
    public static bool IsForeignOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origin)) return false;
        return !string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static Task Refuse(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error });
    }
}
