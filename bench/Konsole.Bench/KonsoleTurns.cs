using System.Diagnostics;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// Konsole (standalone or embedded in Konui) with the stand-in CLI as its ClaudePath, and a client that runs turns
/// on one console session and reads each turn's events over SSE with <see cref="KonsoleClient.ReadEventsAsync"/>.
/// </summary>
internal sealed class KonsoleTurns : IAsyncDisposable
{
    private readonly ScratchFolder _folder;
    private readonly HttpClient _http;
    private readonly KonsoleClient _konsole;

    private KonsoleTurns(ScratchFolder folder, KonuiProcess app)
    {
        _folder = folder;
        App = app;
        _http = app.NewHttpClient();
        _konsole = new KonsoleClient(_http);
    }

    public KonuiProcess App { get; }

    public string? SessionId { get; private set; }

    /// <summary>The folder konsole and its stand-in CLI run in.</summary>
    public string Folder => _folder.Path;

    /// <summary>The events of the session's newest turn (read to its end).</summary>
    public async Task<IReadOnlyList<TurnEvent>> LatestTurnEventsAsync()
    {
        var turns = await _konsole.GetSessionTurnsAsync(SessionId!);
        var events = new List<TurnEvent>();
        await foreach (var turnEvent in _konsole.ReadEventsAsync(turns.OrderBy(t => t.StartedAt).Last().TurnId)) events.Add(turnEvent);
        return events;
    }

    /// <summary>Starts <paramref name="program"/> (<see cref="KonuiProcess.Konsole"/> or <see cref="KonuiProcess.Konui"/>) with the stand-in CLI.</summary>
    public static async Task<KonsoleTurns> StartAsync(string program)
    {
        var folder = new ScratchFolder("konsole-bench-" + program.ToLowerInvariant());
        var claude = FakeClaude.WriteLauncher(folder.Path);
        var app = await MeasuredApp.StartAsync(program, folder.Path, new Dictionary<string, string> { ["Konsole__ClaudePath"] = claude });
        return new KonsoleTurns(folder, app);
    }

    /// <summary>Runs one turn on the session (the first one starts it, and the stand-in CLI's process) and reads all its events.</summary>
    public async Task<TurnTrace> RunAsync(DeltaPlan plan)
    {
        var clock = Stopwatch.StartNew();
        var accepted = await _konsole.StartTurnAsync(new TurnRequest(plan.Prompt, SessionId));
        var acceptedAt = clock.Elapsed;
        SessionId = accepted.SessionId;
        TimeSpan? first = null, init = null;
        long events = 0;
        var deltas = new List<DeltaArrival>(plan.Deltas);
        await foreach (var turnEvent in _konsole.ReadEventsAsync(accepted.TurnId))
        {
            var now = DeltaStamp.NowMicros();
            first ??= clock.Elapsed;
            events++;
            if (turnEvent is TurnInit) init ??= clock.Elapsed;
            if (turnEvent is TextDelta delta && DeltaStamp.TryRead(delta.Text, out _, out var sent))
            {
                deltas.Add(new DeltaArrival(now, (now - sent) / 1000.0));
            }
        }
        return new TurnTrace(acceptedAt, first ?? clock.Elapsed, init ?? clock.Elapsed, clock.Elapsed, events, deltas);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await App.DisposeAsync();
        _folder.Dispose();
    }
}
