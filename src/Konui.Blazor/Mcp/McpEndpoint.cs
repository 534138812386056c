using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Konui.Blazor.Mcp;

/// <summary>
/// MCP over Streamable HTTP at /mcp, stateless: each POST gets its own server instance that answers one JSON-RPC
/// message. GET (the server-to-client stream) is not offered in stateless mode and answers 405.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    public static IServiceCollection AddKonuiMcp(this IServiceCollection services)
    {
        services.AddSingleton<KontaskTools>();
        return services;
    }

    public static IEndpointRouteBuilder MapKonuiMcp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandlePostAsync);
        endpoints.MapGet(Path, () => Results.StatusCode(StatusCodes.Status405MethodNotAllowed));
        endpoints.MapDelete(Path, () => Results.StatusCode(StatusCodes.Status405MethodNotAllowed));
        return endpoints;
    }

    private static async Task HandlePostAsync(HttpContext http, KontaskTools tools, ILoggerFactory loggers)
    {
        JsonRpcMessage? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync<JsonRpcMessage>(http.Request.Body, McpJsonUtilities.DefaultOptions, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            await Results.BadRequest(new { error = $"Not a JSON-RPC message: {ex.Message}" }).ExecuteAsync(http);
            return;
        }
        if (message is null)
        {
            await Results.BadRequest(new { error = "Empty request: send one JSON-RPC message." }).ExecuteAsync(http);
            return;
        }

        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache,no-store";
        http.Response.Headers.ContentEncoding = "identity";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var createdBy = CallerName(http);
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "konui", Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" },
            ServerInstructions = "Konui shows kontasks (rich cards) on the user's dashboard. Use konui_create_task to report results, plans and questions: all content goes in context.output as HTML, and pass the turn's requestId.",
            Handlers = new McpServerHandlers
            {
                ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = KontaskTools.Tools }),
                CallToolHandler = (request, _) => ValueTask.FromResult(tools.Call(request.Params!, createdBy)),
            },
        };

        var transport = new StreamableHttpServerTransport(loggers) { Stateless = true };
        await using var server = McpServer.Create(transport, options, loggers, http.RequestServices);
        var running = server.RunAsync(http.RequestAborted);
        bool wrote;
        try
        {
            wrote = await transport.HandlePostRequestAsync(message, http.Response.Body, http.RequestAborted);
        }
        finally
        {
            await transport.DisposeAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }
        if (!wrote)
        {
            http.Response.Headers.ContentType = default;
            http.Response.StatusCode = StatusCodes.Status202Accepted;
        }
    }

    /// <summary>Who made a kontask: the client's product name from its User-Agent ("claude-code/2.1 (cli)" is claude-code).</summary>
    private static string CallerName(HttpContext http)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        var product = agent.Split(' ', 2)[0].Split('/', 2)[0];
        return string.IsNullOrWhiteSpace(product) ? "mcp-client" : product;
    }
}
