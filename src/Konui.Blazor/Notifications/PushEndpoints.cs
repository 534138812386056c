using System.Text.Json;

namespace Konui.Blazor.Notifications;

/// <summary>
/// Web Push under /api/push, for the settings page's script and for scripts of one's own: the key browsers subscribe
/// with, the subscribed devices (never their keys), subscribe, remove, and send a test. Like all of /api, it demands
/// the access token when there is one and refuses other sites' pages.
/// </summary>
public static class PushEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapPushDevices(this IEndpointRouteBuilder endpoints)
    {
        var push = endpoints.MapGroup("/api/push");
        push.MapGet("/key", (VapidKeys keys) => Results.Json(new { publicKey = keys.PublicKey }));
        push.MapGet("/devices", (PushDevices devices) => Results.Json(devices.All.Select(Shown)));
        push.MapPost("/devices", SubscribeAsync).DisableAntiforgery();
        push.MapDelete("/devices/{id}", (string id, PushDevices devices) =>
            devices.Remove(id) ? Results.NoContent() : Results.Json(new { error = $"There is no device {id}." }, statusCode: StatusCodes.Status404NotFound));
        push.MapPost("/devices/{id}/test", async (string id, PushDevices devices, PushNotifier notifier) =>
        {
            if (devices.All.All(d => d.Id != id)) return Results.Json(new { error = $"There is no device {id}." }, statusCode: StatusCodes.Status404NotFound);
            return await notifier.SendTestAsync(id) is { } problem
                ? Results.Json(new { error = problem }, statusCode: StatusCodes.Status502BadGateway)
                : Results.Json(new { delivered = true });
        }).DisableAntiforgery();
        return endpoints;
    }

    private static object Shown(PushDevice device) => new { id = device.Id, name = device.Name, addedAt = device.AddedAt, lastUsedAt = device.LastUsedAt };

    private static async Task<IResult> SubscribeAsync(HttpContext http, PushDevices devices)
    {
        const string shape = """{"endpoint": "https://...", "keys": {"p256dh": "...", "auth": "..."}, "name"?: "My phone"}""";
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        DeviceSubscription? subscription;
        try
        {
            subscription = await JsonSerializer.DeserializeAsync<DeviceSubscription>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Results.Json(new { error = $"The body must be JSON {shape}: {ex.Message}" }, statusCode: StatusCodes.Status400BadRequest);
        }
        if (PushDevices.Check(subscription?.Endpoint, subscription?.Keys?.P256dh, subscription?.Keys?.Auth, subscription?.Name) is { } problem)
        {
            return Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest);
        }
        var device = devices.Add(subscription!.Endpoint!, subscription.Keys!.P256dh!, subscription.Keys.Auth!, subscription.Name);
        return Results.Json(Shown(device), statusCode: StatusCodes.Status201Created);
    }
}
