using System.Security.Cryptography;
using System.Text;
using Konui.Core.Konsole;

namespace Konui.Blazor.Security;

/// <summary>
/// The configured access token and what proves a caller holds it: the token itself as a bearer header, or a
/// sign-in cookie whose value is derived from the token (so the cookie never holds the token itself); and the
/// <see cref="McpToken"/> derived from it, which the CLIs show /mcp.
/// </summary>
public sealed class AccessToken(string token)
{
    public const string CookieName = "konui_auth";

    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);
    private readonly byte[] _cookie = HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "konui sign-in cookie v1"u8);
    private readonly byte[] _mcp = Encoding.UTF8.GetBytes(McpToken.From(token));

    public string CookieValue => Convert.ToBase64String(_cookie);

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    public bool IsMcpToken(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _mcp);

    public bool IsCookie(string? candidate)
    {
        if (candidate is null) return false;
        var bytes = new byte[_cookie.Length];
        return Convert.TryFromBase64String(candidate, bytes, out var written) && written == bytes.Length
            && CryptographicOperations.FixedTimeEquals(bytes, _cookie);
    }
}
