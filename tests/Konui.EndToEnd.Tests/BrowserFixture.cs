using Konui.Testing;

namespace Konui.EndToEnd.Tests;

/// <summary>
/// One Konui driving the real Claude Code CLI against a scripted model, and one desktop browser: what a collection of
/// browser tests shares. Each test scripts the model for itself, starts its own console session, and leaves one
/// online tab behind. A collection with settings of its own overrides <see cref="Settings"/>.
/// </summary>
public abstract class BrowserFixture : IAsyncLifetime
{
    private KonuiWithClaude? _konui;
    private Browser? _browser;

    public KonuiWithClaude Konui => _konui ?? throw new InvalidOperationException("Konui has not started.");

    public Browser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public string BaseUrl => Konui.Konui.BaseUrl;

    /// <summary>Konui's configuration beyond its defaults (environment-variable style: "Konsole__Projects__0").</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        var starting = KonuiWithClaude.StartAsync(settings: Settings);
        _browser = await Task.Run(() => Browser.Start());
        _konui = await starting;
    }

    /// <summary>Closes every tab but the first and puts it back online: what a test finds when it starts.</summary>
    public void ResetTabs()
    {
        var tabs = Browser.Driver.WindowHandles;
        foreach (var tab in tabs.Skip(1))
        {
            Browser.SwitchToTab(tab);
            Browser.Driver.Close();
        }
        Browser.SwitchToTab(tabs[0]);
        Browser.SetOffline(false);
    }

    public virtual async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_konui is not null) await _konui.DisposeAsync();
    }
}
