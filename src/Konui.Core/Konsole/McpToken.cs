using System.Security.Cryptography;
using System.Text;

namespace Konui.Core.Konsole;

/// <summary>
/// What the CLIs konsole runs send to Konui's /mcp. It is derived from Konui's access token, so a standalone konsole
/// given that token derives the same one, and it is not the access token: it opens /mcp and nothing else, so an agent
/// that prints its environment can neither sign in nor drive konsole (answer its own questions) with it. Being
/// unguessable, it is not throttled: a browser that keeps guessing the access token from the same address neither
/// locks the CLIs out nor is forgiven by their calls.
/// </summary>
public static class McpToken
{
    public static string From(string accessToken) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessToken), "konui mcp token v1"u8));
}
