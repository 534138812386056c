using Konui.Core;
using Konui.Core.Events;

namespace Konui.Blazor.Admin;

/// <summary>POST /api/admin/broadcast {message, level}: a banner on every open dashboard at once.</summary>
public static class BroadcastEndpoint
{
    public const int MaxMessageLength = 2000;

    public static IEndpointRouteBuilder MapBroadcast(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/admin/broadcast", (BroadcastRequest? request, EventBus bus, TimeProvider time) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Message))
            {
                return Results.BadRequest(new { error = "message is required: the text of the banner." });
            }
            if (request.Message.Length > MaxMessageLength)
            {
                return Results.BadRequest(new { error = $"message is {request.Message.Length} characters; at most {MaxMessageLength}." });
            }
            var level = BroadcastLevel.Info;
            if (request.Level is { } name && !Enum.TryParse(name, ignoreCase: true, out level))
            {
                return Results.BadRequest(new { error = $"level must be info, warning or error, not '{name}'." });
            }
            var broadcast = new Broadcast(Ids.Broadcast(time), request.Message.Trim(), level, time.GetUtcNow());
            bus.Publish(broadcast);
            return Results.Accepted(value: new { broadcast.Id });
        }).DisableAntiforgery();
        return endpoints;
    }

    public sealed record BroadcastRequest(string? Message, string? Level);
}
