using System.Text.Json;
using Konui.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Konui.EndToEnd.Tests;

/// <summary>Talks to a running Konui's /mcp endpoint with the MCP SDK's own Streamable HTTP client.</summary>
public static class KonuiMcp
{
    /// <param name="accessToken">Konui's access token, when it has one (sent as a bearer header).</param>
    public static async Task<McpClient> ConnectAsync(KonuiProcess app, string? accessToken = null) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(app.BaseUrl + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = accessToken is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken },
        }));

    /// <summary>Calls konui_create_task, asserts it succeeded and returns the new kontask's id.</summary>
    public static async Task<string> CreateKontaskAsync(McpClient client, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync("konui_create_task", arguments);
        Assert.False(result.IsError == true, $"konui_create_task failed: {Text(result)}");
        var structured = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.True(structured.GetProperty("success").GetBoolean(), Text(result));
        return structured.GetProperty("task").GetProperty("id").GetString()
            ?? throw new InvalidOperationException($"konui_create_task returned no id: {Text(result)}");
    }

    /// <summary>Connects, creates one kontask and disconnects.</summary>
    public static async Task<string> CreateKontaskAsync(KonuiProcess app, Dictionary<string, object?> arguments, string? accessToken = null)
    {
        await using var client = await ConnectAsync(app, accessToken);
        return await CreateKontaskAsync(client, arguments);
    }

    private static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
