using System.Text.Json;
using Konui.Core.Kontasks;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Konui.Blazor.Mcp;

/// <summary>
/// MCP over Streamable HTTP at /mcp, served by the MCP SDK. Stateless: each POST is answered on its own, so a CLI
/// that outlives a Konui restart (a standalone konsole's) goes on calling the tools. GET (the server-to-client
/// stream, which the Claude Code CLI opens after initializing) answers 405, which the CLI takes as "no stream".
/// The access gate in front of it checks the token and the Origin.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    public static IServiceCollection AddKonuiMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddTransient<RunningTurns>();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = KonuiTools.Server, Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" };
                options.ServerInstructions = KontaskToolText.ServerInstructions;
            })
            .WithHttpTransport(transport => transport.Stateless = true)
            .WithTools<KontaskTools>(ToolsJson())
            .WithMessageFilters(filters => filters.AddIncomingFilter(ToolCallShape.Filter))
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolArgumentsCheck.Filter));
        return services;
    }

    /// <summary>The SDK's JSON settings, with the tools' own parameter types read from <see cref="KontaskToolsJsonContext"/>.</summary>
    private static JsonSerializerOptions ToolsJson()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions);
        options.TypeInfoResolverChain.Insert(0, KontaskToolsJsonContext.Default);
        options.MakeReadOnly();
        return options;
    }

    public static IEndpointRouteBuilder MapKonuiMcp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMcp(Path);
        endpoints.MapGet(Path, (HttpContext http) =>
        {
            http.Response.Headers.Allow = "POST";
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        });
        return endpoints;
    }
}
