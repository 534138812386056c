using System.Collections.ObjectModel;
using System.Globalization;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 11. A decision's round trip, in headless Chromium: the CLI's can_use_tool control_request written -> its card in the
/// Dashboard's DOM, and the click on Allow once -> the control_response read on the CLI's stdin. Each is split at
/// konsole by the turn log's times (the decision_request stamped when konsole read it, the decision_result when the
/// answer reached it). Target: p99 of each at most 100 ms.
/// </summary>
internal static class DecisionLatencyBenchmark
{
    public const string Name = "decision-latency";
    private const int Rounds = 200;
    private const int WarmUpRounds = 20;

    /// <summary>How long the page waits after a card shows before it clicks Allow once: a quick reader.</summary>
    private const int ReadingMs = 100;

    // Answers every card as it shows: ReadingMs after it appears, it notes the time and clicks the card's Allow once.
    private const string AnswerScript = """
        const reading = arguments[0];
        window.__clicks = new Map();
        const answered = new Set();
        if (window.__answerer) window.__answerer.disconnect();
        const answer = () => {
          for (const card of document.querySelectorAll(".decision-card[data-state='waiting']")) {
            const id = card.dataset.decisionId;
            const stamp = /s(\d+)t\d+/.exec(card.querySelector('.decision-command')?.textContent ?? '');
            if (answered.has(id) || !stamp) continue;
            answered.add(id);
            setTimeout(() => {
              window.__clicks.set(Number(stamp[1]), performance.timeOrigin + performance.now());
              card.querySelector('[data-decision-allow]').click();
            }, reading);
          }
        };
        window.__answerer = new MutationObserver(answer);
        window.__answerer.observe(document.body, { childList: true, subtree: true, attributes: true });
        """;

    public static async Task<int> RunAsync()
    {
        var load = QuietMachine.Wait();
        using var browser = Chromium.Start();
        await using var konui = await KonsoleTurns.StartAsync(KonuiProcess.Konui);
        await konui.RunAsync(DeltaPlan.Quick);
        browser.Open(DashboardStreams.DashboardUrl(konui), DashboardStreams.DashboardReady);
        await RunRoundsAsync(browser, konui, WarmUpRounds);
        var (toCard, toStdin) = await RunRoundsAsync(browser, konui, Rounds);

        Console.WriteLine($"{Rounds} decisions in one turn (after {WarmUpRounds} warm-up decisions), {Targets.Describe(KonuiProcess.Konui)}, each answered {ReadingMs} ms after its card showed");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  load average at start {load:0.00}; uptime: {File.ReadAllText("/proc/loadavg").Trim()}"));
        Console.WriteLine($"  control_request written -> card in the DOM:      {toCard.Total}");
        Console.WriteLine($"    CLI -> konsole read (decision_request):        {toCard.ToKonsole}");
        Console.WriteLine($"    konsole -> card in the DOM:                    {toCard.FromKonsole}");
        Console.WriteLine($"  click on Allow once -> control_response on stdin: {toStdin.Total}");
        Console.WriteLine($"    click -> konsole has the answer:               {toStdin.ToKonsole}");
        Console.WriteLine($"    konsole -> CLI read it on stdin:               {toStdin.FromKonsole}");
        return 0;
    }

    /// <summary>Sends the plan from the Dashboard's prompt box, lets the page answer every card, and measures both legs of each round.</summary>
    private static async Task<(Leg ToCard, Leg ToStdin)> RunRoundsAsync(Chromium browser, KonsoleTurns konui, int rounds)
    {
        var answersFile = Path.Combine(konui.Folder, DecisionPlan.AnswersFile);
        File.Delete(answersFile);
        browser.Observe(DeltaStamp.NowMicros());
        browser.Run(AnswerScript, ReadingMs);
        browser.SendPrompt(new DecisionPlan(rounds).Prompt);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30 + rounds);
        while (ReadAnswers(answersFile).Count < rounds && DateTime.UtcNow < deadline) await Task.Delay(100);
        var read = ReadAnswers(answersFile);
        var events = await konui.LatestTurnEventsAsync();

        var asked = events.OfType<DecisionRequest>().Select(r => (Round: Stamp(r, out var sent), Sent: sent, r.DecisionId, Read: Micros(r.At)))
            .Where(r => r.Round > 0).ToDictionary(r => r.Round);
        var decided = events.OfType<DecisionResult>().ToDictionary(r => r.DecisionId, r => Micros(r.At));
        var arrivals = browser.ArrivalsBySeq();
        var clicks = browser.Clicks();
        var toCard = new Leg();
        var toStdin = new Leg();
        foreach (var (round, request) in asked)
        {
            if (arrivals.TryGetValue(round, out var shown)) toCard.Add(request.Sent, request.Read, shown);
            if (clicks.TryGetValue(round, out var clicked) && decided.TryGetValue(request.DecisionId, out var answered) && read.TryGetValue(round, out var stdin))
            {
                toStdin.Add(clicked, answered, stdin);
            }
        }
        return (toCard, toStdin);
    }

    /// <summary>The round whose stamp the request's command carries (0 when none), and when the stand-in wrote it.</summary>
    private static int Stamp(DecisionRequest request, out long sentMicros)
    {
        sentMicros = 0;
        var command = request.Input?.GetProperty("command").GetString() ?? "";
        return DeltaStamp.TryRead(command.Replace("echo ", "", StringComparison.Ordinal), out var round, out sentMicros) ? round : 0;
    }

    private static long Micros(DateTimeOffset at) => (at.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>Each round's answer as the stand-in read it: round -> Unix microseconds.</summary>
    private static Dictionary<int, long> ReadAnswers(string path) =>
        File.Exists(path)
            ? File.ReadAllLines(path).Select(l => l.Split(' ')).Where(p => p.Length == 2)
                .ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => long.Parse(p[1], CultureInfo.InvariantCulture))
            : [];

    /// <summary>One leg of a round trip, from its start through konsole to its end, in ms.</summary>
    private sealed class Leg
    {
        private readonly List<double> _total = [];
        private readonly List<double> _toKonsole = [];
        private readonly List<double> _fromKonsole = [];

        public Latencies Total => new(_total);

        public Latencies ToKonsole => new(_toKonsole);

        public Latencies FromKonsole => new(_fromKonsole);

        public void Add(long startMicros, long konsoleMicros, long endMicros)
        {
            _total.Add((endMicros - startMicros) / 1000.0);
            _toKonsole.Add((konsoleMicros - startMicros) / 1000.0);
            _fromKonsole.Add((endMicros - konsoleMicros) / 1000.0);
        }
    }
}
