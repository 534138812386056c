using Konui.Testing;

namespace Konui.EndToEnd.Tests;

/// <summary>One running Konui (its own port and data folder) and one desktop browser, shared by a test class.</summary>
public sealed class KonuiFixture : IAsyncLifetime
{
    private KonuiProcess? _app;
    private Browser? _browser;

    public KonuiProcess App => _app ?? throw new InvalidOperationException("Konui has not started.");

    public Browser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        var starting = KonuiProcess.StartAsync();
        _browser = await Task.Run(() => Browser.Start());
        _app = await starting;
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
