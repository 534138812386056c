using Konui.Testing;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>
/// One Konui driving the real Claude Code CLI against a scripted model, and one desktop browser, for the dashboard's
/// tests. Each test scripts the model for itself, starts its own console session, and leaves one online tab behind.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private KonuiWithClaude? _konui;
    private Browser? _browser;

    public KonuiWithClaude Konui => _konui ?? throw new InvalidOperationException("Konui has not started.");

    public Browser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public string BaseUrl => Konui.Konui.BaseUrl;

    public async Task InitializeAsync()
    {
        var starting = KonuiWithClaude.StartAsync();
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

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_konui is not null) await _konui.DisposeAsync();
    }
}
