using Bunit;
using Konui.Blazor.Components.Pages.Settings;
using Konui.Blazor.Notifications;
using Konui.Core.Konsole;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Settings;

/// <summary>The settings page: which events notify, the push devices, and how new sessions start.</summary>
public sealed class SettingsPageTests : KonuiComponentTest
{
    private static readonly string Key = BrowserKey();
    private static readonly string Auth = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());

    /// <summary>A browser's P-256 public key, as a subscription carries it.</summary>
    private static string BrowserKey()
    {
        using var key = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([0x04, .. q.X!, .. q.Y!]);
    }

    private PushDevices Devices => Services.GetRequiredService<PushDevices>();

    private void BrowserCan(string notifications, bool push, string? endpoint = null) =>
        JSInterop.Setup<BrowserPush?>("konui.push.state").SetResult(new BrowserPush(notifications, push, endpoint, "Chrome on Android"));

    [Fact]
    public void Turning_an_event_off_is_kept_in_data_and_notifies_no_more()
    {
        BrowserCan("granted", push: true);
        var page = Render<SettingsPage>();

        page.Find(".notify-ended input").Change(false);

        var settings = Services.GetRequiredService<NotificationSettings>();
        Assert.Equal(new NotifyOn(DecisionWaiting: true, TurnEnded: false, TurnFailed: true), settings.Current);
        Assert.False(settings.Current.Allows(NoticeKind.TurnEnded));
        Assert.Contains("\"turnEnded\": false", File.ReadAllText(settings.Path), StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Contains("shows notifications", page.Find(".settings-permission").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Notifications_are_asked_for_from_the_button_never_on_load()
    {
        BrowserCan("default", push: true);
        var asked = JSInterop.Setup<string>("konui.push.allowNotifications").SetResult("granted");
        var page = Render<SettingsPage>();
        page.WaitForAssertion(() => Assert.Contains("not been asked", page.Find(".settings-permission").TextContent, StringComparison.Ordinal));
        Assert.Empty(asked.Invocations);

        page.Find(".settings-allow").Click();

        Assert.Single(asked.Invocations);
    }

    [Fact]
    public void This_browser_subscribes_under_its_name_and_a_device_is_listed_tested_and_removed()
    {
        BrowserCan("granted", push: true);
        JSInterop.Setup<DeviceSubscription>("konui.push.subscribe", _ => true)
            .SetResult(new DeviceSubscription("https://push.example.com/send/abc", new DeviceSubscriptionKeys(Key, Auth), null));
        var old = Devices.Add("https://push.example.com/send/old", Key, Auth, "Old tablet");
        var page = Render<SettingsPage>();
        page.WaitForAssertion(() => Assert.Equal("Chrome on Android", page.Find(".settings-device-name-field").GetAttribute("value")));

        page.Find(".settings-device-name-field").Change("My phone");
        page.Find(".settings-add").Click();

        page.WaitForAssertion(() => Assert.Equal(["Old tablet", "My phone"], page.FindAll(".settings-device-name").Select(n => n.TextContent)));
        Assert.Equal("https://push.example.com/send/abc", Devices.All[1].Endpoint);

        // The test's push service (the fake konsole behind every HttpClient here) knows no such subscription: 404.
        page.Find($"[data-device-id='{old.Id}'] .settings-test").Click();
        page.WaitForAssertion(() => Assert.Equal(["My phone"], page.FindAll(".settings-device-name").Select(n => n.TextContent)));
        Assert.DoesNotContain("send/old", File.ReadAllText(Devices.Path), StringComparison.Ordinal);

        page.Find(".settings-remove").Click();
        page.WaitForAssertion(() => Assert.Contains("No device is subscribed", page.Find(".settings-no-devices").TextContent, StringComparison.Ordinal));
        Assert.Empty(Devices.All);
    }

    [Fact]
    public void A_browser_that_cannot_subscribe_says_why_and_nothing_is_kept()
    {
        BrowserCan("granted", push: true);
        JSInterop.Setup<DeviceSubscription>("konui.push.subscribe", _ => true).SetException(new Microsoft.JSInterop.JSException("Registration failed - push service error"));
        var page = Render<SettingsPage>();
        page.WaitForAssertion(() => page.Find(".settings-add"));

        page.Find(".settings-add").Click();

        page.WaitForAssertion(() => Assert.Equal("This browser could not subscribe: Registration failed - push service error", page.Find(".settings-problem").TextContent));
        Assert.Empty(Devices.All);
    }

    [Fact]
    public void New_sessions_defaults_are_shown_and_saved_through_konsole_and_a_refusal_says_why()
    {
        BrowserCan("granted", push: true);
        Konsole.Defaults = new SessionDefaults(PermissionModes.Default, "claude-test");
        var page = Render<SettingsPage>();
        page.WaitForAssertion(() => Assert.Equal("claude-test", page.Find(".settings-model").GetAttribute("value")));

        page.Find(".settings-mode").Change(PermissionModes.Plan);
        page.Find(".settings-model").Change("sonnet");
        page.Find(".settings-save-defaults").Click();

        page.WaitForAssertion(() => Assert.Equal("New sessions start in plan mode with sonnet.", page.Find(".settings-defaults-outcome").TextContent));
        Assert.Equal(new SessionDefaults(PermissionModes.Plan, "sonnet"), Konsole.Defaults);

        page.Find(".settings-model").Change("--settings x");
        page.Find(".settings-save-defaults").Click();

        page.WaitForAssertion(() => Assert.StartsWith("Not saved: model must be", page.Find(".settings-defaults-outcome").TextContent, StringComparison.Ordinal));
        Assert.Equal(new SessionDefaults(PermissionModes.Plan, "sonnet"), Konsole.Defaults);
    }

    [Fact]
    public void Over_plain_http_away_from_this_machine_the_page_says_push_needs_https()
    {
        BrowserCan("unsupported", push: false);
        var page = Render<SettingsPage>();

        page.WaitForAssertion(() => Assert.Contains("only over https", page.Find(".settings-no-push").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".settings-add"));
    }
}
