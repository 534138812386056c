using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Testing;

/// <summary>
/// The real Konui (konsole embedded) driving the real Claude Code CLI, whose only stand-in is the model API behind
/// it: a <see cref="ScriptedModelApi"/> the test scripts. Restartable on the same port and data.
/// </summary>
public sealed partial class KonuiWithClaude : IAsyncDisposable
{
    private readonly HttpClient _http;

    private KonuiWithClaude(ScriptedModelApi model, KonuiProcess konui, string home, string? accessToken)
    {
        Model = model;
        Konui = konui;
        Home = home;
        _http = new HttpClient { BaseAddress = new Uri(konui.BaseUrl + "/"), Timeout = Timeout.InfiniteTimeSpan };
        if (accessToken is not null) _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        Konsole = new KonsoleClient(_http);
    }

    public ScriptedModelApi Model { get; }

    public KonuiProcess Konui { get; }

    public KonsoleClient Konsole { get; }

    /// <summary>The CLI's HOME: its config and session transcripts.</summary>
    public string Home { get; }

    /// <param name="claudePath">The CLI to run; default: the one build/test.sh installs.</param>
    /// <param name="settings">More configuration, as environment variables (e.g. Konsole__StopGrace).</param>
    /// <param name="accessToken">Konui's access token (Konui:AccessToken); <see cref="Konsole"/> sends it.</param>
    /// <param name="https">Konui also listens over https (its certificate given in <paramref name="settings"/>).</param>
    public static async Task<KonuiWithClaude> StartAsync(string? claudePath = null, IReadOnlyDictionary<string, string>? settings = null, int maxRetries = 0,
        string? accessToken = null, bool https = false)
    {
        var model = await ScriptedModelApi.StartAsync();
        var home = Path.Combine(Path.GetTempPath(), "konui-claude-home-" + Guid.NewGuid().ToString("N"));
        var work = Path.Combine(home, "work");
        Directory.CreateDirectory(work);
        var environment = ClaudeCli.KonsoleSettings(model.BaseUrl, home, work, maxRetries, claudePath);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        if (accessToken is not null) environment["Konui__AccessToken"] = accessToken;
        var konui = await KonuiProcess.StartAsync(environment, https: https);
        return new KonuiWithClaude(model, konui, home, accessToken);
    }

    /// <summary>Starts a turn and reads all its events to the end.</summary>
    public async Task<(TurnAccepted Turn, IReadOnlyList<TurnEvent> Events)> RunAsync(string prompt, string? sessionId = null, TimeSpan? timeout = null)
    {
        var accepted = await Konsole.StartTurnAsync(new TurnRequest(prompt, sessionId));
        return (accepted, await ReadAllAsync(accepted.TurnId, timeout: timeout));
    }

    /// <summary>A turn's events until the terminal one, reconnecting (as a reader should) if the stream drops.</summary>
    public async Task<IReadOnlyList<TurnEvent>> ReadAllAsync(string turnId, long afterSeq = 0, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var events = new List<TurnEvent>();
        var last = afterSeq;
        while (events.Count == 0 || !events[^1].IsTerminal)
        {
            await foreach (var turnEvent in Konsole.ReadEventsAsync(turnId, last, cancel.Token))
            {
                events.Add(turnEvent);
                last = turnEvent.Seq;
            }
        }
        return events;
    }

    /// <summary>The process id of the CLI konsole runs for a session.</summary>
    public static int? ClaudeProcessOf(string sessionId) => ClaudeProcessesOf(sessionId) is [var first, ..] ? first : null;

    /// <summary>The process ids of every CLI running for a session, whoever started it.</summary>
    public static IReadOnlyList<int> ClaudeProcessesOf(string sessionId)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", $"(--session-id|--resume)={sessionId}"]) { RedirectStandardOutput = true })!;
        var output = pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => int.Parse(line, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>Waits until no CLI runs for a session; false if one still does after <paramref name="timeout"/>.</summary>
    public static async Task<bool> NoClaudeProcessWithinAsync(string sessionId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ClaudeProcessesOf(sessionId).Count > 0)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(100);
        }
        return true;
    }

    /// <summary>The requestId konsole put at the start of the prompt, read the way the model reads it.</summary>
    public static string? RequestIdIn(ModelRequest request) =>
        RequestMarker().Match(request.LastUserMessageText) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("<konui-request id=\"([^\"]+)\"/>")]
    private static partial Regex RequestMarker();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Konui.DisposeAsync();
        await Model.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
