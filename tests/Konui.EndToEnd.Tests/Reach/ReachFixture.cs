using Konui.Testing;

namespace Konui.EndToEnd.Tests.Reach;

/// <summary>
/// A Konui of their own (real CLI, scripted model) and one browser for the tests of what reaches a user who is not
/// looking: so that no other test's waiting decision counts in a title.
/// </summary>
public sealed class ReachFixture : IAsyncLifetime
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

    /// <summary>Closes every tab but the first: what a test finds when it starts.</summary>
    public void ResetTabs()
    {
        var tabs = Browser.Driver.WindowHandles;
        foreach (var tab in tabs.Skip(1))
        {
            Browser.SwitchToTab(tab);
            Browser.Driver.Close();
        }
        Browser.SwitchToTab(tabs[0]);
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_konui is not null) await _konui.DisposeAsync();
    }
}
