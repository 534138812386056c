using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// Issue 14's measurement, as a new user meets Konui: the real Claude Code CLI (build/npm) against the scripted model
/// API, which streams 300 words 20 ms apart into the Dashboard in headless Chromium; in the same run, interleaved, a
/// raw WebSocket push of 300 words at the same pace to a bare page, the baseline, and to a second bare page that was
/// clicked once, as the Dashboard is on Send. For each it prints word -> DOM and word -> next frame: when the first
/// animation frame after the word landed began, and when it was drawn. A Dashboard word's time is when the scripted
/// model wrote its delta (the model's log); a pushed word carries its own. After each Dashboard run the raw push also
/// replays that run's words at the CLI's pace: each sent when konsole read it from the CLI (its turn event's time) and stamped with the model's
/// write, so the bare page meets the same unevenly spaced words as the Dashboard, and what is left between the two is
/// Konui's. Each run ends with the same words in another running session, which no page shows: the CLI's pace while
/// the browser has nothing to paint. Then send -> model API request, from
/// POST /api/konsole/turns to the scripted model having the request: for a running session, for a new session on the
/// spare CLI, and for a new session without one (a second Konui with Konsole:KeepSpare false), interleaved.
/// </summary>
internal static partial class StreamingBenchmark
{
    public const string Name = "streaming";
    private const int Words = 300;
    private const int WordsPerParagraph = 50;
    private const int Runs = 3;
    private const int RunningTurns = 20;
    private const int NewSessions = 8;
    private static readonly TimeSpan Apart = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(bool patient)
    {
        var load = QuietMachine.Wait(patient);
        await using var konui = await KonuiWithClaude.StartAsync();
        await using var bare = await KonuiWithClaude.StartAsync(settings: new Dictionary<string, string> { ["Konsole__KeepSpare"] = "false" });
        konui.Model.SetScript(Script);
        bare.Model.SetScript(Script);
        using var browser = Chromium.Start();
        await using var echo = await EchoServer.StartAsync();
        var echoPage = browser.Open(echo.Url, EchoServer.ReadySelector);
        // The Dashboard's words come after a click on Send, with the pointer resting on the page, where Chromium lays a
        // frame out before its callbacks rather than after: the raw push also goes to a second bare page, clicked once.
        await using var echoTouched = await EchoServer.StartAsync();
        var touchedPage = browser.Open(echoTouched.Url, EchoServer.ReadySelector);
        browser.ClickPage();
        var (session, _) = await konui.RunAsync("Hello");
        var dashboard = browser.Open($"{konui.Konui.BaseUrl}/?session={session.SessionId}", DashboardStreams.DashboardReady);

        // A warm-up run of each, not counted.
        browser.Use(echoPage);
        await PushAsync(browser, echo);
        browser.Use(touchedPage);
        await PushAsync(browser, echoTouched);
        browser.Use(dashboard);
        await StreamAsync(browser, konui, session.SessionId, 0);
        var pushed = new List<PageWord>();
        var pushedTouched = new List<PageWord>();
        var streamed = new List<PageWord>();
        var replayed = new List<PageWord>();
        var (unwatched, _) = await konui.RunAsync("Hello");
        await SpareReadyAsync(konui);
        var cli = new List<double>();
        var cliUnwatched = new List<double>();
        for (var run = 1; run <= Runs; run++)
        {
            browser.Use(echoPage);
            pushed.AddRange(await PushAsync(browser, echo));
            browser.Use(touchedPage);
            pushedTouched.AddRange(await PushAsync(browser, echoTouched));
            browser.Use(dashboard);
            var (words, paced) = await StreamAsync(browser, konui, session.SessionId, run);
            streamed.AddRange(words);
            cli.AddRange(paced.Select(w => w.ReadMs - w.WrittenMs));
            browser.Use(echoPage);
            replayed.AddRange(await ReplayAsync(browser, echo, [.. paced.Select(w => (w.WrittenMs, w.ReadMs))]));
            cliUnwatched.AddRange((await UnwatchedAsync(konui, unwatched.SessionId, run)).Select(w => w.ReadMs - w.WrittenMs));
        }

        var running = new List<double>();
        for (var i = 0; i < RunningTurns; i++) running.Add((await SendAsync(konui, $"Ping {i}", session.SessionId)).Milliseconds);
        var onSpare = new List<double>();
        var withoutSpare = new List<double>();
        var tookSpare = 0;
        for (var i = 0; i < NewSessions; i++)
        {
            await SpareReadyAsync(konui);
            var (ms, turn) = await SendAsync(konui, $"New session {i}", null);
            onSpare.Add(ms);
            if (konui.Konui.Output.Any(l => l.Contains($"New session {turn.SessionId} takes the spare claude", StringComparison.Ordinal))) tookSpare++;
            withoutSpare.Add((await SendAsync(bare, $"New session {i} without a spare", null)).Milliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The real CLI ({Konui.Testing.ClaudeCli.Version}) and the scripted model: {Words} words {Apart.TotalMilliseconds:0} ms apart into the Dashboard, {Runs} runs interleaved with a raw WebSocket push of {Words} words at the same pace"));
        Console.WriteLine("| path | words | word -> DOM p50 / p95 / p99 | word -> next frame begun p50 / p95 / p99 | word -> next frame drawn p50 / p95 / p99 |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("raw WebSocket push", pushed);
        Row("raw WebSocket push, page clicked once", pushedTouched);
        Row("raw push at the CLI's pace", replayed);
        Row("Dashboard", streamed);
        Console.WriteLine("From konsole's read of the word from the CLI (the Dashboard's path through Konui; the bare page's send), and from the DOM to the next frame:");
        Console.WriteLine("| path | read -> DOM p50 / p95 / p99 | read -> next frame begun p50 / p95 / p99 | DOM -> next frame begun p50 / p95 / p99 | DOM -> next frame drawn p50 / p95 / p99 |");
        Console.WriteLine("|---|---|---|---|---|");
        AfterTheCli("raw push at the CLI's pace", replayed);
        AfterTheCli("Dashboard", streamed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The CLI alone (model write -> konsole read the line), p50 / p95 / p99: while the Dashboard shows its words {Percentiles(cli)}; in a session no page shows {Percentiles(cliUnwatched)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Dashboard word -> DOM p99 {new Latencies(streamed.Select(s => s.Dom)).Percentile(99):0.0} ms (target at most 25 ms)"));
        Ratios("begun", streamed, pushed, pushedTouched, replayed, w => w.Frame);
        Ratios("drawn", streamed, pushed, pushedTouched, replayed, w => w.Drawn);
        Console.WriteLine();
        Console.WriteLine("Send -> model API request: POST /api/konsole/turns until the scripted model has the request");
        Console.WriteLine("| session | n | p50 | p95 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Row("running", running);
        Row($"new, with the spare CLI ({tookSpare} of {NewSessions} took it)", onSpare);
        Row("new, no spare (Konsole:KeepSpare false)", withoutSpare);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1-minute load average: {load:0.00} at the start, {QuietMachine.OneMinuteLoad():0.00} at the end"));
        return 0;
    }

    /// <summary>"Stream the words from N": 300 words numbered from N, 20 ms apart, a paragraph every 50; anything else: a short answer.</summary>
    private static ModelReply Script(ModelRequest request)
    {
        if (WordsAsked().Match(request.LastUserText) is not { Success: true } asked) return ModelReply.Text("Noted.");
        var first = long.Parse(asked.Groups[1].Value, CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        // Each word, with what follows it, is 9 characters, so the reply's 300 deltas are its 300 words.
        for (var i = 0; i < Words; i++) text.Append(CultureInfo.InvariantCulture, $"w{first + i}").Append((i + 1) % WordsPerParagraph == 0 ? "\n\n" : "  ");
        return ModelReply.Text(text.ToString(), chunks: Words, delayBetweenChunks: Apart);
    }

    [GeneratedRegex(@"w(\d{6})")]
    private static partial Regex WordIn();

    [GeneratedRegex(@"Stream the words from (\d{6})")]
    private static partial Regex WordsAsked();

    private static async Task<List<PageWord>> PushAsync(Chromium browser, EchoServer echo)
    {
        browser.Observe(DeltaStamp.NowMicros());
        await echo.PushAsync(Words, 1000 / Apart.TotalMilliseconds);
        await browser.WaitForArrivalsAsync(Words, Patience);
        return browser.WordArrivals().Select(a => PageWord.Of(a, a.SentMs, double.NaN)).ToList();
    }

    /// <summary>Pushes the words of a Dashboard run at the pace konsole read them from the CLI, stamped with the model's writes.</summary>
    private static async Task<List<PageWord>> ReplayAsync(Chromium browser, EchoServer echo, List<(double WrittenMs, double ReadMs)> words)
    {
        browser.Observe(DeltaStamp.NowMicros());
        await echo.ReplayAsync(words);
        await browser.WaitForArrivalsAsync(words.Count, Patience);
        return browser.WordArrivals().Select(a => PageWord.Of(a, a.SentMs, words[(int)a.Seq - 1].ReadMs - words[(int)a.Seq - 1].WrittenMs)).ToList();
    }

    /// <summary>
    /// Sends "Stream the words from N" from the Dashboard's prompt box and times each word against the model's log;
    /// also returns each word's write and konsole's read of it from the CLI, in milliseconds after the first write.
    /// </summary>
    private static async Task<(List<PageWord> Words, List<(int Word, double WrittenMs, double ReadMs)> Paced)> StreamAsync(
        Chromium browser, KonuiWithClaude konui, string sessionId, int run)
    {
        var first = 100_000 + run * 1_000;
        var prompt = $"Stream the words from {first}";
        browser.Observe(DeltaStamp.NowMicros(), first);
        browser.SendPrompt(prompt);
        await konui.Model.WaitForRequestAsync(r => r.LastUserText.Contains(prompt, StringComparison.Ordinal), Patience);
        var turnId = (await konui.Konsole.GetSessionAsync(sessionId)).RunningTurnId
            ?? throw new InvalidOperationException($"Session {sessionId} runs no turn after the model had its request.");
        await browser.WaitForArrivalsAsync(Words, Patience);
        await IdleAsync(konui, sessionId);
        var (paced, written) = await PacedAsync(konui, turnId, prompt, first);
        var arrivals = browser.WordArrivals().Where(a => a.Seq >= first && a.Seq < first + Words).ToList();
        if (arrivals.Count < Words)
        {
            var missing = Enumerable.Range(0, Words).Select(i => (long)first + i).Except(arrivals.Select(a => a.Seq)).Select(seq => $"w{seq}");
            Console.WriteLine($"  run {run}: {Words - arrivals.Count} of {Words} words were not seen arriving in the Dashboard's DOM: {string.Join(", ", missing.Take(10))}");
        }
        var cli = paced.ToDictionary(w => w.Word, w => w.ReadMs - w.WrittenMs);
        return (arrivals.Select(a => PageWord.Of(a, written[(int)(a.Seq - first)], cli.GetValueOrDefault((int)(a.Seq - first), double.NaN))).ToList(), paced);
    }

    /// <summary>
    /// Each word's write by the model and konsole's read of it from the CLI, in milliseconds after the first write, for
    /// a turn konsole ran.
    /// </summary>
    private static async Task<(List<(int Word, double WrittenMs, double ReadMs)> Paced, List<double> Written)> PacedAsync(KonuiWithClaude konui, string turnId, string prompt, long first)
    {
        var read = new Dictionary<long, double>();
        foreach (var delta in (await konui.ReadAllAsync(turnId, timeout: Patience)).OfType<TextDelta>())
        {
            if (WordIn().Match(delta.Text) is { Success: true } word) read.TryAdd(long.Parse(word.Groups[1].Value, CultureInfo.InvariantCulture), UnixMs(delta.At));
        }
        // The CLI may also send the prompt in a side request of its own: the turn's is the one answered in words.
        var request = konui.Model.Requests.Where(r => r.LastUserText.Contains(prompt, StringComparison.Ordinal)).MaxBy(r => r.DeltasWrittenAt.Count);
        if (request is null || request.DeltasWrittenAt.Count < Words) throw new InvalidOperationException($"The scripted model wrote no {Words} words for \"{prompt}\".");
        var written = request.DeltasWrittenAt.Select(UnixMs).ToList();
        return (Enumerable.Range(0, Words).Where(i => read.ContainsKey(first + i)).Select(i => (i, written[i] - written[0], read[first + i] - written[0])).ToList(), written);
    }

    /// <summary>
    /// The same 300 words over konsole's API in another running session, which no page shows: the CLI's pace while the
    /// browser has nothing to paint, beside its pace in the Dashboard's runs.
    /// </summary>
    private static async Task<List<(int Word, double WrittenMs, double ReadMs)>> UnwatchedAsync(KonuiWithClaude konui, string sessionId, int run)
    {
        var first = 500_000 + run * 1_000;
        var prompt = $"Stream the words from {first}";
        var turn = await konui.Konsole.StartTurnAsync(new TurnRequest(prompt, sessionId));
        return (await PacedAsync(konui, turn.TurnId, prompt, first)).Paced;
    }

    private static string Percentiles(List<double> milliseconds)
    {
        var times = new Latencies(milliseconds);
        return string.Create(CultureInfo.InvariantCulture, $"{times.Percentile(50):0.0} / {times.Percentile(95):0.0} / {times.Percentile(99):0.0} ms");
    }

    /// <summary>Starts a turn over konsole's API and returns the milliseconds until the scripted model had its request; waits for the turn's end.</summary>
    private static async Task<(double Milliseconds, TurnAccepted Turn)> SendAsync(KonuiWithClaude rig, string prompt, string? sessionId)
    {
        var sent = DateTimeOffset.UtcNow;
        var turn = await rig.Konsole.StartTurnAsync(new TurnRequest(prompt, sessionId));
        var request = await rig.Model.WaitForRequestAsync(r => r.LastUserText.EndsWith(prompt, StringComparison.Ordinal), Patience);
        await rig.ReadAllAsync(turn.TurnId, timeout: Patience);
        return ((request.ReceivedAt - sent).TotalMilliseconds, turn);
    }

    private static async Task IdleAsync(KonuiWithClaude konui, string sessionId)
    {
        var clock = Stopwatch.StartNew();
        while ((await konui.Konsole.GetSessionAsync(sessionId)).RunningTurnId is not null)
        {
            if (clock.Elapsed > Patience) throw new TimeoutException($"The turn of session {sessionId} did not end within {Patience}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until konsole has a spare CLI ready that no session took (its log says so).</summary>
    private static async Task SpareReadyAsync(KonuiWithClaude konui)
    {
        var clock = Stopwatch.StartNew();
        while (konui.Konui.Output.Count(l => l.Contains("ready for a new session", StringComparison.Ordinal)) <= SpareTakes(konui))
        {
            if (clock.Elapsed > Patience) throw new TimeoutException($"No spare CLI was ready within {Patience}.");
            await Task.Delay(50);
        }
    }

    private static int SpareTakes(KonuiWithClaude konui) => konui.Konui.Output.Count(l => l.Contains("takes the spare claude", StringComparison.Ordinal));

    private static double UnixMs(DateTimeOffset at) => (at.UtcTicks - DateTime.UnixEpoch.Ticks) / 10_000.0;

    private static void Row(string path, List<PageWord> words)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {path} | {words.Count} | {Percentiles([.. words.Select(w => w.Dom)])} | {Percentiles(Framed(words, w => w.Frame))} | {Percentiles(Framed(words, w => w.Drawn))} |"));
    }

    /// <summary>A path's words timed from konsole's read of each from the CLI, and from the DOM to the next frame.</summary>
    private static void AfterTheCli(string path, List<PageWord> words)
    {
        var read = words.Where(w => !double.IsNaN(w.Cli) && !double.IsNaN(w.Frame) && !double.IsNaN(w.Drawn)).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {path} | {Percentiles([.. read.Select(w => w.Dom - w.Cli)])} | {Percentiles([.. read.Select(w => w.Frame - w.Cli)])} | {Percentiles([.. read.Select(w => w.Frame - w.Dom)])} | {Percentiles([.. read.Select(w => w.Drawn - w.Dom)])} |"));
    }

    /// <summary>The Dashboard's next frame p99 (begun or drawn) against each bare page's.</summary>
    private static void Ratios(string what, List<PageWord> dashboard, List<PageWord> pushed, List<PageWord> clicked, List<PageWord> replayed, Func<PageWord, double> frame)
    {
        double P99(List<PageWord> words) => new Latencies(Framed(words, frame)).Percentile(99);
        var ours = P99(dashboard);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Dashboard next frame {what} p99 {ours:0.0} ms: {ours / P99(pushed):0.00}x the raw push's (target at most 1.5x), {ours / P99(clicked):0.00}x the clicked page's, {ours / P99(replayed):0.00}x the raw push's at the CLI's pace"));
    }

    private static List<double> Framed(List<PageWord> words, Func<PageWord, double> frame) =>
        [.. words.Select(frame).Where(ms => !double.IsNaN(ms))];

    private static void Row(string session, List<double> milliseconds)
    {
        var times = new Latencies(milliseconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {session} | {times.Count} | {times.Percentile(50):0} ms | {times.Percentile(95):0} ms | {times.Percentile(99):0} ms | {times.Max:0} ms |"));
    }
}
