using Konui.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Konui.EndToEnd.Tests;

/// <summary>The Go box in a real browser: Ctrl+K from anywhere, and "Go" in reach on a phone.</summary>
public sealed class GoBoxTests : IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private readonly string _home = Directory.CreateTempSubdirectory("konui-go-home-").FullName;
    private KonuiProcess _app = null!;
    private Browser _phone = null!;

    public async Task InitializeAsync()
    {
        var starting = KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konsole__Environment__HOME"] = _home });
        _phone = await Task.Run(Browser.StartPhone);
        _app = await starting;
    }

    public async Task DisposeAsync()
    {
        _phone?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task On_a_phone_go_is_in_view_and_takes_you_to_a_page_by_name()
    {
        await _phone.OpenAsync(_app.BaseUrl + "/kontasks");
        var go = _phone.Driver.FindElement(By.CssSelector(".go-open"));
        Assert.True(_phone.Run<long>("return Math.round(arguments[0].getBoundingClientRect().right);", go) <= Browser.PhoneWidth, "Go is off the screen");

        go.Click();
        var input = await Browser.WaitForAsync(() => _phone.FindOrNull(".go-box input"), WaitLimit, "the Go box");
        await Browser.WaitForAsync(() => _phone.Run<bool>("return document.activeElement === arguments[0];", input) ? "focused" : null, WaitLimit, "the Go box's input to have focus");
        input.SendKeys("logs");
        await Browser.WaitForAsync(() => _phone.FindOrNull(".go-result.selected")?.Text.Contains("Logs", StringComparison.Ordinal) == true ? "Logs" : null, WaitLimit, "Logs to be the match");
        input.SendKeys(Keys.Enter);

        await Browser.WaitForAsync(() => _phone.Driver.Url.EndsWith("/logs", StringComparison.Ordinal) ? "logs" : null, WaitLimit, "the Logs page");
        await Browser.WaitForAsync(() => _phone.FindOrNull(".go-box") is null ? "closed" : null, WaitLimit, "the Go box to close");
    }

    [Fact]
    public async Task Ctrl_k_opens_the_box_anywhere_the_arrows_choose_and_escape_closes_it()
    {
        await _phone.OpenAsync(_app.BaseUrl + "/sessions");

        // The page listens for Ctrl+K once its circuit has drawn the Go box, a moment after the circuit starts on a busy
        // machine: the keys are pressed until the box opens (a second press on an open box changes nothing).
        var input = await Browser.WaitForAsync(() =>
        {
            if (_phone.FindOrNull(".go-box input") is { } open) return open;
            new Actions(_phone.Driver).KeyDown(Keys.Control).SendKeys("k").KeyUp(Keys.Control).Perform();
            return null;
        }, WaitLimit, "the Go box after Ctrl+K");
        await Browser.WaitForAsync(() => _phone.Run<bool>("return document.activeElement === arguments[0];", input) ? "focused" : null, WaitLimit, "the Go box's input to have focus");
        input.SendKeys("s");
        await Browser.WaitForAsync(() => _phone.Driver.FindElements(By.CssSelector(".go-result")).Count == 6 ? "six" : null, WaitLimit,
            "Dashboard, Kontasks, Sessions, Logs, Reports and Settings to match");
        input.SendKeys(Keys.ArrowDown + Keys.ArrowDown);
        await Browser.WaitForAsync(() => _phone.FindOrNull(".go-result.selected")?.Text.Contains("Sessions", StringComparison.Ordinal) == true ? "Sessions" : null, WaitLimit, "Sessions to be chosen");
        Assert.Equal(1L, _phone.Run<long>("return arguments[0].selectionStart;", input));

        input.SendKeys(Keys.Escape);
        await Browser.WaitForAsync(() => _phone.FindOrNull(".go-box") is null ? "closed" : null, WaitLimit, "the Go box to close");
        Assert.EndsWith("/sessions", _phone.Driver.Url, StringComparison.Ordinal);
    }
}
