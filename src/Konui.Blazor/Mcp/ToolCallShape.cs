using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Konui.Blazor.Mcp;

/// <summary>
/// Refuses a tools/call that is not shaped as one (params missing or not an object, no tool name, a tool Konui does
/// not have, arguments that are not an object) with a JSON-RPC "invalid params" error that says what is wrong,
/// before the SDK reads it. Such a call is the client's mistake: it is answered, not logged as a failure.
/// </summary>
internal static class ToolCallShape
{
    public static McpMessageHandler Filter(McpMessageHandler next) =>
        (context, cancellationToken) =>
        {
            if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ToolsCall } request)
            {
                var problem = Problem(request.Params, context.Server.ServerOptions.ToolCollection);
                if (problem is not null) throw new McpProtocolException($"tools/call: {problem}", McpErrorCode.InvalidParams);
            }
            return next(context, cancellationToken);
        };

    private static string? Problem(JsonNode? parameters, McpServerPrimitiveCollection<McpServerTool>? tools)
    {
        var known = string.Join(", ", (tools ?? []).Select(t => t.ProtocolTool.Name).Order(StringComparer.Ordinal));
        if (parameters is not JsonObject call)
        {
            return $"params must be an object {{\"name\": \"<tool>\", \"arguments\": {{...}}}}, not {Describe(parameters)}.";
        }
        if (call["name"] is not JsonValue name || !name.TryGetValue<string>(out var toolName))
        {
            return $"params.name must name the tool to call, one of {known}.";
        }
        if (tools is null || !tools.TryGetPrimitive(toolName, out _))
        {
            return $"there is no tool '{toolName}'. The tools are {known}.";
        }
        var arguments = call["arguments"];
        return arguments is null or JsonObject
            ? null
            : $"params.arguments must be an object of the tool's arguments, e.g. {{\"title\": \"...\"}}, not {Describe(arguments)}.";
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        JsonValue value => $"the value {value.ToJsonString()}",
        _ => node.GetValueKind().ToString(),
    };
}
