using System.Net;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;

namespace Konui.Blazor.Notifications;

/// <summary>
/// Sends each notice by Web Push to every subscribed device, when its kind notifies and no visible tab shows its
/// session (someone looking needs no push). It reads the notices as they come and sends in the background, all devices
/// at once, so a slow push service holds up neither the notices nor the other devices. A device whose push service
/// answers 404 or 410 (the subscription is gone) is dropped; other failures are logged and the device kept.
/// </summary>
public sealed class PushNotifier : IHostedService, IDisposable
{
    /// <summary>How long a push service keeps a message for a device that is off: a decision waits longer than news of a turn.</summary>
    private static readonly TimeSpan DecisionTimeToLive = TimeSpan.FromHours(12);
    private static readonly TimeSpan TurnTimeToLive = TimeSpan.FromHours(1);

    private readonly Notices _notices;
    private readonly PushDevices _devices;
    private readonly NotificationSettings _settings;
    private readonly OpenTabs _tabs;
    private readonly ILogger<PushNotifier> _logger;
    private readonly PushServiceClient _client;
    private readonly VapidAuthentication _vapid;

    public PushNotifier(Notices notices, PushDevices devices, NotificationSettings settings, OpenTabs tabs, VapidKeys keys, IHttpClientFactory httpClients,
        ILogger<PushNotifier> logger)
    {
        _notices = notices;
        _devices = devices;
        _settings = settings;
        _tabs = tabs;
        _logger = logger;
        _vapid = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = keys.Contact };
        _client = new PushServiceClient(httpClients.CreateClient(nameof(PushNotifier))) { DefaultAuthentication = _vapid };
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _notices.Noticed += OnNoticed;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _notices.Noticed -= OnNoticed;
        return Task.CompletedTask;
    }

    private void OnNoticed(Notice notice)
    {
        if (!_settings.Current.Allows(notice.Kind) || _tabs.Shows(notice.SessionId)) return;
        _ = Task.Run(() => SendToAllAsync(notice));
    }

    private async Task SendToAllAsync(Notice notice)
    {
        try
        {
            var message = Message(notice.Message, notice.Kind == NoticeKind.DecisionWaiting);
            await Task.WhenAll(_devices.All.Select(device => SendAsync(device, message)));
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Pushing {Kind} of session {Session} failed", notice.Kind, notice.SessionId);
        }
    }

    /// <summary>Sends a test message to one device; its outcome in words (null: the push service took it).</summary>
    public async Task<string?> SendTestAsync(string deviceId)
    {
        if (_devices.All.FirstOrDefault(d => d.Id == deviceId) is not { } device) return $"There is no device {deviceId}: it was removed.";
        var test = new { kind = "test", title = "Konui", body = $"Notifications reach {device.Name}.", tag = "konui-test", url = "/settings" };
        return await SendAsync(device, Message(test, urgent: false));
    }

    private static PushMessage Message(object content, bool urgent) => new(JsonSerializer.Serialize(content))
    {
        TimeToLive = (int)(urgent ? DecisionTimeToLive : TurnTimeToLive).TotalSeconds,
        Urgency = urgent ? PushMessageUrgency.High : PushMessageUrgency.Normal,
    };

    private async Task<string?> SendAsync(PushDevice device, PushMessage message)
    {
        var subscription = new PushSubscription { Endpoint = device.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, device.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, device.Auth);
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _client.RequestPushMessageDeliveryAsync(subscription, message, within.Token);
            _devices.Used(device.Id);
            return null;
        }
        catch (PushServiceClientException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            _logger.LogInformation("Push device {Device} ({Name}) is no longer subscribed (its push service answered {Status}); removed", device.Id, device.Name, (int)ex.StatusCode);
            _devices.Remove(device.Id);
            return $"{device.Name} is no longer subscribed (its push service answered {(int)ex.StatusCode}), so it was removed.";
        }
        catch (Exception ex) when (ex is PushServiceClientException or HttpRequestException or OperationCanceledException)
        {
            var why = ex is PushServiceClientException refused ? $"{(int)refused.StatusCode} {refused.Message}" : ex.Message;
            _logger.LogWarning("Pushing to device {Device} ({Name}) failed: {Reason}", device.Id, device.Name, why);
            return $"The push service of {device.Name} did not take the message: {why}";
        }
    }

    public void Dispose() => _vapid.Dispose();
}
