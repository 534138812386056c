using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using OpenQA.Selenium;
using Konui.Testing;
using OpenQA.Selenium.Chrome;

namespace Konsole.Bench;

/// <summary>
/// A headless Chromium (the end-to-end tests' <see cref="Browser"/>, background throttling off) whose pages record,
/// with a MutationObserver, the time at which each <see cref="DeltaStamp"/> word first appears in the DOM. A page opens in
/// a window of its own (shown and painted) or in a new tab of the start window (in the background once another tab
/// opens, where it is not painted but, with the throttling flags below, runs its scripts and updates its DOM as a
/// shown one does).
/// </summary>
internal sealed class Chromium : IDisposable
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    // Arrival times are performance.timeOrigin + performance.now(): the system clock, like Date.now(), but finer than
    // Date.now()'s whole milliseconds.
    // Looks at what each DOM change added, from its end backwards, for words "s<seq>t<micros>" written at or after
    // `since`, and words "w<seq>" (whose write time a log outside the page has) numbered `fromWord` or higher, and
    // keeps the first arrival of each; it stops at the first word it already has, or an older one, so a re-rendered
    // text costs only its new part (plus reading its textContent). Each arrival also gets the time of the next frame
    // after it: when the frame begins (its first requestAnimationFrame callback) and when it is drawn (a message posted
    // from that callback, which runs once the frame's style, layout and paint are done). The two differ by where a
    // frame's layout falls: with the pointer resting on a page, Chromium recomputes what is under it before the
    // callbacks (WebFrameWidgetImpl::BeginMainFrame), which lays the page out first.
    private const string ObserveScript = """
        const since = arguments[0];
        const fromWord = arguments[1];
        const seen = new Map();
        window.__arrivals = seen;
        if (window.__arrivalObserver) window.__arrivalObserver.disconnect();
        const word = /^(?:s(\d+)t(\d+)|w(\d+))$/;
        let unframed = [];
        let undrawn = [];
        let framePending = false;
        const drawn = new MessageChannel();
        drawn.port1.onmessage = () => {
          const at = performance.timeOrigin + performance.now();
          for (const arrival of undrawn) arrival[4] = at;
          undrawn = [];
        };
        const onFrame = () => {
          const frame = performance.timeOrigin + performance.now();
          for (const arrival of unframed) arrival[2] = frame;
          undrawn.push(...unframed);
          unframed = [];
          framePending = false;
          drawn.port2.postMessage(0);
        };
        const scan = (text, now) => {
          let end = text.length;
          while (end > 0) {
            while (end > 0 && text.charCodeAt(end - 1) <= 32) end--;
            let start = end;
            while (start > 0 && text.charCodeAt(start - 1) > 32) start--;
            if (start === end) return;
            const m = word.exec(text.substring(start, end));
            end = start;
            if (!m) continue;
            const stamped = m[1] !== undefined;
            const seq = Number(stamped ? m[1] : m[3]);
            const sent = stamped ? Number(m[2]) : 0;
            if ((stamped ? sent < since : seq < fromWord) || seen.has(seq)) return;
            const arrival = [now, sent, 0, seq, 0];
            seen.set(seq, arrival);
            unframed.push(arrival);
          }
        };
        window.__arrivalObserver = new MutationObserver(records => {
          const now = performance.timeOrigin + performance.now();
          for (const r of records) {
            if (r.type === 'characterData') scan(r.target.data, now);
            else for (const n of r.addedNodes) scan(n.textContent || '', now);
          }
          if (unframed.length > 0 && !framePending) {
            framePending = true;
            requestAnimationFrame(onFrame);
          }
        });
        window.__arrivalObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
        """;

    private const string CollectScript = "return Array.from(window.__arrivals.values());";

    private readonly Browser _browser;
    private readonly ChromeDriver _driver;
    private readonly string _startWindow;

    private Chromium(Browser browser)
    {
        _browser = browser;
        _driver = browser.Driver;
        _startWindow = _driver.CurrentWindowHandle;
    }

    /// <summary>
    /// The environment variable with more Chromium switches for a benchmark's browser, separated by spaces: a trace of
    /// its frames, for one (docs/benchmarks.md, benchmark 13).
    /// </summary>
    private const string SwitchesVariable = "KONUI_BENCH_CHROMIUM";

    public static Chromium Start() => new(Browser.StartForBenchmark(TimeSpan.FromSeconds(120),
        [.. (Environment.GetEnvironmentVariable(SwitchesVariable) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]));

    /// <summary>
    /// Opens <paramref name="url"/> in a new window (or, <paramref name="inTab"/>, a new tab of the start window) and
    /// waits for <paramref name="readySelector"/>; returns its handle. The start window's first tab stays blank, so
    /// closing every page leaves the browser running.
    /// </summary>
    public string Open(string url, string readySelector, bool inTab = false)
    {
        if (inTab) Use(_startWindow);
        _driver.SwitchTo().NewWindow(inTab ? WindowType.Tab : WindowType.Window);
        _driver.Navigate().GoToUrl(url);
        WaitFor($"return document.querySelector('{readySelector}') !== null;", PageTimeout, $"{readySelector} at {url}");
        return _driver.CurrentWindowHandle;
    }

    /// <summary>The CPU time the browser (chromedriver and every Chromium process under it) has used.</summary>
    public TimeSpan CpuTime => ProcessTree.CpuTime(_browser.DriverProcessId);

    public void Use(string window) => _driver.SwitchTo().Window(window);

    /// <summary>Closes a window opened by <see cref="Open"/>; the start window becomes the current one.</summary>
    public void Close(string window)
    {
        Use(window);
        _driver.Close();
        Use(_startWindow);
    }

    /// <summary>
    /// From now on, the current page records the arrival of each word stamped at or after <paramref name="sinceMicros"/>,
    /// and of each word "w&lt;seq&gt;" numbered <paramref name="fromWord"/> or higher.
    /// </summary>
    public void Observe(long sinceMicros, long fromWord = long.MaxValue) => _driver.ExecuteScript(ObserveScript, sinceMicros, fromWord);

    public long ArrivalCount() => (long)_driver.ExecuteScript("return window.__arrivals.size;")!;

    /// <summary>Waits until the current page has <paramref name="count"/> arrivals or <paramref name="timeout"/> passed.</summary>
    public async Task WaitForArrivalsAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (ArrivalCount() < count && clock.Elapsed < timeout) await Task.Delay(100);
    }

    /// <summary>The current page's arrivals: when each word landed and how long after it was written.</summary>
    public List<DeltaArrival> Arrivals()
    {
        var rows = (ReadOnlyCollection<object>)_driver.ExecuteScript(CollectScript)!;
        return rows.Cast<ReadOnlyCollection<object>>().Select(row =>
        {
            var arrivedMs = Convert.ToDouble(row[0], CultureInfo.InvariantCulture);
            var sentMicros = Convert.ToDouble(row[1], CultureInfo.InvariantCulture);
            return new DeltaArrival((long)(arrivedMs * 1000), arrivedMs - sentMicros / 1000);
        }).ToList();
    }

    /// <summary>The current page's arrivals by the stamped word's number: when each landed, in Unix microseconds.</summary>
    public Dictionary<int, long> ArrivalsBySeq()
    {
        var rows = (ReadOnlyCollection<object>)_driver.ExecuteScript("return Array.from(window.__arrivals.entries());")!;
        return rows.Cast<ReadOnlyCollection<object>>().ToDictionary(
            row => Convert.ToInt32(row[0], CultureInfo.InvariantCulture),
            row => (long)(Convert.ToDouble(((ReadOnlyCollection<object>)row[1])[0], CultureInfo.InvariantCulture) * 1000));
    }

    /// <summary>When the page clicked each card's Allow once (the decision benchmark's answerer), by round, in Unix microseconds.</summary>
    public Dictionary<int, long> Clicks()
    {
        var rows = (ReadOnlyCollection<object>)_driver.ExecuteScript("return Array.from((window.__clicks ?? new Map()).entries());")!;
        return rows.Cast<ReadOnlyCollection<object>>().ToDictionary(
            row => Convert.ToInt32(row[0], CultureInfo.InvariantCulture),
            row => (long)(Convert.ToDouble(row[1], CultureInfo.InvariantCulture) * 1000));
    }

    /// <summary>Runs a script in the current page.</summary>
    public void Run(string script, params object[] arguments) => _driver.ExecuteScript(script, arguments);

    /// <summary>The current page's arrivals with their words' numbers and next frames, begun and drawn (Unix ms); the write time is 0 for a "w" word.</summary>
    public List<WordArrival> WordArrivals()
    {
        var rows = (ReadOnlyCollection<object>)_driver.ExecuteScript(CollectScript)!;
        return rows.Cast<ReadOnlyCollection<object>>().Select(row => new WordArrival(
            Convert.ToInt64(row[3], CultureInfo.InvariantCulture),
            Convert.ToDouble(row[0], CultureInfo.InvariantCulture),
            Convert.ToDouble(row[1], CultureInfo.InvariantCulture) / 1000,
            Convert.ToDouble(row[2], CultureInfo.InvariantCulture),
            Convert.ToDouble(row[4], CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Clicks the current page (the middle of its window), as a user's click on a page leaves the pointer resting on it.</summary>
    public void ClickPage() => _driver.FindElement(By.TagName("html")).Click();

    /// <summary>Types a prompt into the Dashboard's prompt box and sends it, as a user does.</summary>
    public void SendPrompt(string prompt)
    {
        // data-konui-send marks the Send button whatever it is drawn with.
        _driver.FindElement(By.CssSelector("textarea.prompt-text")).SendKeys(prompt);
        WaitFor("return document.querySelector('[data-konui-send]:not([disabled])') !== null;", PageTimeout, "the Send button");
        _driver.FindElement(By.CssSelector("[data-konui-send]")).Click();
    }

    private void WaitFor(string condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (_driver.ExecuteScript(condition) is not true)
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            Thread.Sleep(25);
        }
    }

    public void Dispose() => _browser.Dispose();
}
