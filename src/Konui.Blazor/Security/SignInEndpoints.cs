using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Konui.Blazor.Security;

/// <summary>The sign-in page: a plain form (it must work before the Blazor circuit may connect) that sets the cookie.</summary>
public static class SignInEndpoints
{
    public const string Path = "/signin";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (string? returnUrl) => Page(returnUrl, error: null, StatusCodes.Status200OK));
        endpoints.MapPost(Path, async (HttpContext http) =>
        {
            var token = http.RequestServices.GetService<AccessToken>();
            IFormCollection form;
            try
            {
                form = await http.Request.ReadFormAsync();
            }
            catch (InvalidDataException)
            {
                return Page(null, "The sign-in form could not be read (a value holds a character a form may not carry).", StatusCodes.Status400BadRequest);
            }
            var returnUrl = form["returnUrl"].ToString();
            if (token is null) return Results.Redirect(LocalOnly(returnUrl));
            if (AccessGate.IsForeignOrigin(http.Request)) return Page(returnUrl, "Sign in from Konui's own page.", StatusCodes.Status403Forbidden);
            var throttle = http.RequestServices.GetRequiredService<SignInThrottle>();
            var client = SignInThrottle.ClientOf(http);
            var wait = throttle.WaitFor(client);
            if (wait > TimeSpan.Zero)
            {
                var seconds = AccessGate.RetryAfter(http, wait);
                return Page(returnUrl, $"Too many wrong tokens from here: try again in {seconds} s.", StatusCodes.Status429TooManyRequests);
            }
            if (!token.Matches(form["token"].ToString()))
            {
                throttle.Failed(client);
                return Page(returnUrl, "That is not Konui's access token.", StatusCodes.Status401Unauthorized);
            }
            throttle.Succeeded(client);
            http.Response.Cookies.Append(AccessToken.CookieName, token.CookieValue, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(30),
            });
            return Results.Redirect(LocalOnly(returnUrl));
        }).DisableAntiforgery();
        return endpoints;
    }

    /// <summary>
    /// The return address if it is a path on Konui by the framework's own local-URL rules (no "//", "/\\" or
    /// control character, which a browser drops: "/&lt;TAB&gt;/host" would land on host), as sent and after each
    /// round of percent-decoding; otherwise the Dashboard.
    /// </summary>
    private static string LocalOnly(string? url)
    {
        if (string.IsNullOrEmpty(url) || !url.StartsWith('/')) return "/";
        var decoded = url;
        for (var round = 0; round < 4; round++)
        {
            if (!RedirectHttpResult.IsLocalUrl(decoded)) return "/";
            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded) return url;
            decoded = next;
        }
        return "/";
    }

    private static IResult Page(string? returnUrl, string? error, int status) => Results.Content($$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in · Konui</title>
        <link rel="manifest" href="/manifest.webmanifest"><link rel="icon" type="image/svg+xml" href="/favicon.svg"><meta name="theme-color" content="#1e1e1e">
        <style>
        body{margin:0;background:#1e1e1e;color:#e0e0e0;font:15px/1.45 system-ui,sans-serif;display:grid;place-items:center;min-height:100vh}
        form{background:#2d2d2d;border:1px solid #3c3c3c;border-radius:8px;padding:1.5rem;width:min(22rem,90vw)}
        h1{font-size:1.3rem;margin:0 0 1rem} input,button{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border-radius:6px}
        input{background:#1e1e1e;color:#e0e0e0;border:1px solid #555;margin:.3rem 0 1rem} button{background:#0e639c;color:#fff;border:0;cursor:pointer}
        .error{color:#ef9a9a}
        </style></head><body>
        <form method="post" action="{{Path}}">
        <h1>Konui</h1>
        {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
        <label for="token">Access token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
        <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(LocalOnly(returnUrl))}}">
        <button type="submit">Sign in</button>
        </form></body></html>
        """, "text/html; charset=utf-8", statusCode: status);
}
