using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Reach;

/// <summary>
/// Web Push through a stand-in push service the test runs: Konui's requests carry a VAPID token signed with the key
/// devices subscribe with, their bodies decrypt (RFC 8291) with the keys the test made, and they say what happened:
/// a decision waiting, a turn ended. No push while a visible tab shows the session; a device whose push service
/// answers 410 is dropped.
/// </summary>
[Collection(ReachCollection.Name)]
public sealed class PushTests
{
    private readonly ReachFixture _konui;

    public PushTests(ReachFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
    }

    private HttpClient Api() => new() { BaseAddress = new Uri(_konui.BaseUrl) };

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_waiting_decision_and_the_turns_end_reach_a_subscribed_device_encrypted_for_it_and_signed_by_Konui()
    {
        await using var pushService = await PushServiceStandIn.StartAsync();
        using var phone = new PushSubscriber(pushService.EndpointFor("phone"));
        using var api = Api();
        var publicKey = (await api.GetFromJsonAsync<JsonElement>("/api/push/key")).GetProperty("publicKey").GetString();
        using var subscribed = await api.PostAsJsonAsync("/api/push/devices", phone.Subscription("Test phone"));
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var deviceId = (await subscribed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        try
        {
            _konui.Konui.Model.SetScript(request => request.HasToolResult ? ModelReply.Text("Pushed.") : ModelReply.Bash("echo push > push.txt", "Write a marker"));
            var turn = await _konui.Konui.Konsole.StartTurnAsync(new TurnRequest("Make the pushed marker"));
            await using var watch = TurnWatch.Start(_konui.Konui.Konsole, turn.TurnId);
            var asked = await watch.WaitForAsync<DecisionRequest>();

            var waiting = await pushService.WaitForAsync("phone");
            var message = JsonDocument.Parse(phone.Decrypt(waiting.Body)).RootElement;
            Assert.Equal(("decision", "Waiting: Bash", "echo push > push.txt"), (message.GetProperty("kind").GetString(), message.GetProperty("title").GetString(), message.GetProperty("body").GetString()));
            Assert.Equal($"/?session={turn.SessionId}#decision-{asked.DecisionId}", message.GetProperty("url").GetString());
            Assert.Equal($"konui-decision-{asked.DecisionId}", message.GetProperty("tag").GetString());
            Assert.Equal(("aes128gcm", "high"), (waiting.Header("content-encoding"), waiting.Header("urgency")));
            Assert.True(int.Parse(waiting.Header("ttl"), System.Globalization.CultureInfo.InvariantCulture) > 0);
            var (key, claims) = waiting.Vapid();
            Assert.Equal(publicKey, key);
            // The audience is the push service's origin as Lib.Net.Http.WebPush writes it: scheme and host, no port
            // (browsers' push services all listen on 443, where that is the whole origin).
            Assert.Equal(new Uri(pushService.BaseUrl).GetLeftPart(UriPartial.Scheme) + "127.0.0.1", claims.GetProperty("aud").GetString());
            Assert.StartsWith("mailto:", claims.GetProperty("sub").GetString(), StringComparison.Ordinal);

            await _konui.Konui.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer("allow", Client: "the test"));
            var ended = JsonDocument.Parse(phone.Decrypt((await pushService.WaitForAsync("phone", skip: 1)).Body)).RootElement;
            Assert.Equal(("ended", "Turn ended", "Make the pushed marker", $"/?session={turn.SessionId}"),
                (ended.GetProperty("kind").GetString(), ended.GetProperty("title").GetString(), ended.GetProperty("body").GetString(), ended.GetProperty("url").GetString()));

            var listed = (await api.GetFromJsonAsync<JsonElement>("/api/push/devices")).EnumerateArray().Single(d => d.GetProperty("id").GetString() == deviceId);
            Assert.Equal("Test phone", listed.GetProperty("name").GetString());
            Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);
            Assert.False(listed.TryGetProperty("auth", out _), "the API never shows a device's keys");

            // The keys and the devices are Konui's user's alone, and the keys survive a restart (devices need not subscribe again).
            foreach (var file in new[] { "vapid.json", "push-devices.json" })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_konui.Konui.Konui.DataDir, file)));
            }
            Assert.DoesNotContain(publicKey!, string.Join('\n', _konui.Konui.Konui.Output), StringComparison.Ordinal);
        }
        finally
        {
            await api.DeleteAsync($"/api/push/devices/{deviceId}");
        }
    }

    [Fact]
    public async Task No_push_while_a_visible_tab_shows_the_session_and_one_when_nobody_looks()
    {
        await using var pushService = await PushServiceStandIn.StartAsync();
        using var laptop = new PushSubscriber(pushService.EndpointFor("laptop"));
        using var api = Api();
        var deviceId = (await (await api.PostAsJsonAsync("/api/push/devices", laptop.Subscription("Laptop"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        try
        {
            _konui.Konui.Model.SetScript(request => ModelReply.Text("Seen: " + request.LastUserText.Split('>')[^1].Trim()));
            var page = new DashboardPage(_konui.Browser, _konui.BaseUrl);
            var (sessionId, watched) = await page.StartSessionAsync("Watched turn");
            await page.WaitForEndAsync(watched);
            await _konui.Browser.OpenAsync(_konui.BaseUrl + "/kontasks");

            var unwatched = await _konui.Konui.RunAsync("Unwatched turn", sessionId);

            var pushed = JsonDocument.Parse(laptop.Decrypt((await pushService.WaitForAsync("laptop")).Body)).RootElement;
            Assert.Equal($"konui-turn-{unwatched.Turn.TurnId}", pushed.GetProperty("tag").GetString());
            Assert.Single(pushService.Deliveries);
        }
        finally
        {
            await api.DeleteAsync($"/api/push/devices/{deviceId}");
        }
    }

    [Fact]
    public async Task A_device_whose_push_service_answers_410_is_dropped_and_the_others_stay()
    {
        await using var pushService = await PushServiceStandIn.StartAsync();
        using var kept = new PushSubscriber(pushService.EndpointFor("kept"));
        using var gone = new PushSubscriber(pushService.EndpointFor("gone"));
        pushService.Answer("gone", HttpStatusCode.Gone);
        using var api = Api();
        var keptId = (await (await api.PostAsJsonAsync("/api/push/devices", kept.Subscription("Kept"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var goneId = (await (await api.PostAsJsonAsync("/api/push/devices", gone.Subscription("Gone"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        try
        {
            using var test = await api.PostAsync($"/api/push/devices/{goneId}/test", null);
            Assert.Equal(HttpStatusCode.BadGateway, test.StatusCode);
            Assert.Contains("410", await test.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(["Kept"], (await api.GetFromJsonAsync<JsonElement>("/api/push/devices")).EnumerateArray().Select(d => d.GetProperty("name").GetString()));
            Assert.DoesNotContain(gone.Endpoint, await File.ReadAllTextAsync(Path.Combine(_konui.Konui.Konui.DataDir, "push-devices.json")), StringComparison.Ordinal);

            using var keptTest = await api.PostAsync($"/api/push/devices/{keptId}/test", null);
            Assert.Equal(HttpStatusCode.OK, keptTest.StatusCode);
            var message = JsonDocument.Parse(kept.Decrypt((await pushService.WaitForAsync("kept")).Body)).RootElement;
            Assert.Equal(("test", "Notifications reach Kept."), (message.GetProperty("kind").GetString(), message.GetProperty("body").GetString()));

            // A subscription that is not one is refused with what to send, and nothing is kept.
            using var bad = await api.PostAsJsonAsync("/api/push/devices", new { endpoint = "http://example.com/push/x", keys = new { p256dh = kept.P256dh, auth = kept.Auth } });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("https", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var badKey = await api.PostAsJsonAsync("/api/push/devices", new { endpoint = "https://push.example.com/x", keys = new { p256dh = "AAAA", auth = kept.Auth } });
            Assert.Contains("p256dh", await badKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Single((await api.GetFromJsonAsync<JsonElement>("/api/push/devices")).EnumerateArray());
        }
        finally
        {
            await api.DeleteAsync($"/api/push/devices/{keptId}");
        }
    }
}
