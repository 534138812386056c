using System.Security.Cryptography;
using System.Text;

namespace Konui.Core.Konsole;

/// <summary>
/// What konsole and the CLIs it runs show Konui: Konui's own watch of its embedded konsole calls that konsole's API
/// with it, and every CLI sends it to /mcp. It is derived from Konui's access token, so a standalone konsole given that
/// token derives the same one, and it is not the access token: it opens /mcp and the embedded konsole's API, never the
/// dashboard, and a CLI that prints its environment cannot sign in with it. Being unguessable, it is not throttled, so
/// a browser that keeps guessing the access token from the same address neither locks konsole out nor is forgiven
/// by konsole's calls.
/// </summary>
public static class KonsoleToken
{
    public static string From(string accessToken) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessToken), "konui konsole token v1"u8));
}
