using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Decisions;

/// <summary>
/// Konui restarts while a standalone konsole keeps Claude Code waiting for an answer: the card is still there when
/// the Dashboard comes back, and answering it there lets the turn go on.
/// </summary>
public sealed class KonuiRestartTests : IAsyncLifetime
{
    private ScriptedModelApi? _model;
    private KonuiProcess? _konui;
    private KonuiProcess? _konsole;
    private Browser? _browser;
    private string? _home;

    private string Work => Path.Combine(_home!, "work");

    public async Task InitializeAsync()
    {
        _model = await ScriptedModelApi.StartAsync(request => request.HasToolResult ? ScriptedModelApi.Echo(request)
            : request.LastUserText.Contains("kept marker", StringComparison.Ordinal) ? ModelReply.Bash("echo kept > e2e-kept.txt", "Write a marker file")
            : ModelReply.Text("Ready."));
        _home = Directory.CreateTempSubdirectory("konsole-home-").FullName;
        Directory.CreateDirectory(Work);
        var konsolePort = FreePort.Next();
        _konui = await KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konsole__Url"] = $"http://127.0.0.1:{konsolePort}" });
        var settings = ClaudeCli.KonsoleSettings(_model.BaseUrl, _home, Work);
        settings["Konsole__KonuiMcpUrl"] = _konui.BaseUrl + "/mcp";
        _konsole = await KonuiProcess.StartKonsoleAsync(settings, konsolePort);
        _browser = await Task.Run(() => Browser.Start());
    }

    [Fact]
    public async Task The_card_waits_through_a_Konui_restart_and_is_answered_after_it()
    {
        var page = new DashboardPage(_browser!, _konui!.BaseUrl);
        var cards = new DecisionCards(_browser!);
        var (sessionId, turnId) = await page.StartSessionAsync("Make the kept marker");
        var card = await cards.WaitForPendingAsync("Bash");

        await _konui.RestartAsync();
        await page.OpenSessionAsync(sessionId);

        var after = await cards.WaitForPendingAsync("Bash", TimeSpan.FromSeconds(20));
        Assert.Equal((card.DecisionId, "echo kept > e2e-kept.txt"), (after.DecisionId, after.Command));
        Assert.Equal("Waiting for you", cards.StatusWaiting);
        Assert.False(File.Exists(Path.Combine(Work, "e2e-kept.txt")));

        cards.Click(card.DecisionId, "[data-decision-allow]");

        Assert.Equal("Allowed once by Konui in Chrome on Linux", (await cards.WaitForStateAsync(card.DecisionId, "allowed")).Outcome);
        Assert.Equal("ok", (await page.WaitForEndAsync(turnId)).State);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(Work, "e2e-kept.txt")).Trim());
        Assert.Empty(_model!.ScriptErrors);
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_konsole is not null) await _konsole.DisposeAsync();
        if (_konui is not null) await _konui.DisposeAsync();
        if (_model is not null) await _model.DisposeAsync();
        if (_home is not null) Directory.Delete(_home, recursive: true);
    }
}
