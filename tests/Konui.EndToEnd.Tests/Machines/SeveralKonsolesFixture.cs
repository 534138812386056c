using Konui.Testing;

namespace Konui.EndToEnd.Tests.Machines;

/// <summary>
/// One Konui driving two standalone konsoles, each running the real CLI against the scripted model: "local" (its
/// Konsole:Url) and "far" (Konsole:Hosts, whose API demands <see cref="FarToken"/>), each with its own home and
/// folder, as two machines would be; and one desktop browser.
/// </summary>
public sealed class SeveralKonsolesFixture : IAsyncLifetime
{
    /// <summary>The slow answer: streamed over about six seconds, so a konsole can be frozen while it comes.</summary>
    public const string SlowAnswer = "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve.";

    /// <summary>The far konsole's access token: Konui holds it, no page may show it.</summary>
    public string FarToken { get; } = "far-token-" + Guid.NewGuid().ToString("N");

    private readonly ScratchFolder _localHome = new("konsole-local");
    private readonly ScratchFolder _farHome = new("konsole-far");
    private ScriptedModelApi? _model;
    private KonuiProcess? _local;
    private KonuiProcess? _far;
    private KonuiProcess? _konui;
    private Browser? _browser;

    public ScriptedModelApi Model => _model ?? throw new InvalidOperationException("The model has not started.");

    public KonuiProcess Konui => _konui ?? throw new InvalidOperationException("Konui has not started.");

    public KonuiProcess Local => _local ?? throw new InvalidOperationException("The local konsole has not started.");

    public KonuiProcess Far => _far ?? throw new InvalidOperationException("The far konsole has not started.");

    public Browser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        _model = await ScriptedModelApi.StartAsync(request => request.LastUserText.Contains("Count slowly", StringComparison.Ordinal)
            ? ModelReply.Text(SlowAnswer, chunks: 12, delayBetweenChunks: TimeSpan.FromMilliseconds(500))
            : ModelReply.Text("Hello from the model."));
        var localPort = FreePort.Next();
        var farPort = FreePort.Next();
        _konui = await KonuiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Konsole__Url"] = $"http://127.0.0.1:{localPort}",
            ["Konsole__Hosts__0__Name"] = "far",
            ["Konsole__Hosts__0__Url"] = $"http://127.0.0.1:{farPort}",
            ["Konsole__Hosts__0__AccessToken"] = FarToken,
        });
        _local = await KonuiProcess.StartKonsoleAsync(Konsole(_localHome.Path), localPort);
        var far = Konsole(_farHome.Path);
        far["Konsole__AccessToken"] = FarToken;
        _far = await KonuiProcess.StartKonsoleAsync(far, farPort);
        _browser = await Task.Run(() => Browser.Start());
    }

    private Dictionary<string, string> Konsole(string home)
    {
        var work = Directory.CreateDirectory(Path.Combine(home, "work")).FullName;
        var settings = ClaudeCli.KonsoleSettings(Model.BaseUrl, home, work);
        settings["Konsole__KonuiMcpUrl"] = Konui.BaseUrl + "/mcp";
        return settings;
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_far is not null) await _far.DisposeAsync();
        if (_local is not null) await _local.DisposeAsync();
        if (_konui is not null) await _konui.DisposeAsync();
        if (_model is not null) await _model.DisposeAsync();
        _farHome.Dispose();
        _localHome.Dispose();
    }
}
