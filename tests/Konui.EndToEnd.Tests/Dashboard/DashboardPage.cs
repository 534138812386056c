using System.Text.Json;
using Konui.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>What the tests do on the Dashboard (the console at "/") in the current tab of a <see cref="Browser"/>.</summary>
public sealed class DashboardPage(Browser browser, string baseUrl)
{
    /// <summary>How long a turn may take from the prompt to its end (the first turn of a session starts the CLI).</summary>
    public static readonly TimeSpan TurnLimit = TimeSpan.FromSeconds(60);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The transcript as the reader sees it, one entry per article.turn.
    private const string ReadTranscript = """
        return JSON.stringify([...document.querySelectorAll('article.turn')].map(a => ({
          turnId: a.dataset.turnId,
          state: a.dataset.state,
          prompt: a.querySelector('.turn-prompt-text')?.textContent ?? '',
          answer: [...a.querySelectorAll('.assistant-text')].map(e => e.textContent.trim()).join('\n'),
          result: [...(a.querySelector('.turn-result')?.children ?? [])].map(e => e.textContent.trim()).join(' · '),
          kontasks: [...a.querySelectorAll('.kontask-card')].map(k => k.dataset.kontaskId).join(' '),
        })));
        """;

    public Browser Browser => browser;

    /// <summary>The console session the tab shows, read from its address (?session=...), or null.</summary>
    public string? SessionId =>
        new Uri(browser.Driver.Url).Query.TrimStart('?').Split('&')
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0] == "session")
            .Select(pair => Uri.UnescapeDataString(pair[1]))
            .FirstOrDefault();

    /// <summary>Opens a fresh console ("/?new=true") and waits until it is live.</summary>
    public Task OpenNewSessionAsync() => OpenAsync("/?new=true");

    /// <summary>Opens a console session in the current tab and waits until it is live.</summary>
    public Task OpenSessionAsync(string sessionId) => OpenAsync("/?session=" + Uri.EscapeDataString(sessionId));

    /// <summary>Opens a console session in a new tab (which becomes the current one) and waits until it is live; returns the tab.</summary>
    public async Task<string> OpenSessionInNewTabAsync(string sessionId)
    {
        var tab = await browser.OpenTabAsync(baseUrl + "/?session=" + Uri.EscapeDataString(sessionId));
        await WaitForLiveAsync();
        return tab;
    }

    private async Task OpenAsync(string pathAndQuery)
    {
        await browser.OpenAsync(baseUrl + pathAndQuery);
        await WaitForLiveAsync();
    }

    /// <summary>Waits until the circuit rendered the dashboard: clicks and typing before that are lost.</summary>
    public Task WaitForLiveAsync() =>
        Browser.WaitForAsync(() => browser.FindOrNull(".dashboard[data-interactive='true']"), Browser.PageTimeout, "the live dashboard");

    /// <summary>Opens a fresh console, sends <paramref name="prompt"/> and returns the new session's id and the turn's id.</summary>
    public async Task<(string SessionId, string TurnId)> StartSessionAsync(string prompt)
    {
        await OpenNewSessionAsync();
        var turnId = await SendAsync(prompt);
        var sessionId = await Browser.WaitForAsync(() => SessionId, TimeSpan.FromSeconds(10), "the session's id in the address");
        return (sessionId, turnId);
    }

    /// <summary>Types <paramref name="prompt"/> into the prompt box, sends it with Ctrl+Enter and returns the id of the turn it starts.</summary>
    public async Task<string> SendAsync(string prompt)
    {
        var before = Turns().Select(t => t.TurnId).ToHashSet();
        var box = PromptBox;
        Assert.Equal("", box.GetAttribute("value"));
        box.SendKeys(prompt);
        // The button is enabled by the server once the typed text reached it; pressing before would send nothing.
        await Browser.WaitForAsync(() => browser.FindOrNull("[data-konui-send]:not([disabled])"), TimeSpan.FromSeconds(10), "the Send button to be enabled");
        new Actions(browser.Driver).KeyDown(Keys.Control).SendKeys(Keys.Enter).KeyUp(Keys.Control).Perform();
        var turn = await Browser.WaitForAsync(
            () => Turns().FirstOrDefault(t => !before.Contains(t.TurnId) && t.Prompt == prompt),
            TimeSpan.FromSeconds(30), $"a turn for the prompt \"{prompt}\"");
        return turn.TurnId;
    }

    public IWebElement PromptBox => browser.Driver.FindElement(By.CssSelector(".prompt-box textarea"));

    /// <summary>The transcript's turns, oldest first.</summary>
    public IReadOnlyList<ShownTurn> Turns() =>
        JsonSerializer.Deserialize<List<ShownTurn>>(browser.Run<string>(ReadTranscript), Json) ?? [];

    public ShownTurn? Turn(string turnId) => Turns().FirstOrDefault(t => t.TurnId == turnId);

    /// <summary>Waits until the turn's answer shows at least <paramref name="characters"/> characters while the turn still runs.</summary>
    public Task<ShownTurn> WaitForAnswerStreamingAsync(string turnId, int characters = 1) =>
        Browser.WaitForAsync(() => Turn(turnId) is { } turn && turn.Answer.Length >= characters
            ? turn.State == "running" ? turn : throw new InvalidOperationException($"The turn ended before its answer was seen streaming: {turn}")
            : null, TurnLimit, $"turn {turnId}'s answer to stream in");

    /// <summary>Waits until the turn shows its end (ok or failed) and returns it.</summary>
    public Task<ShownTurn> WaitForEndAsync(string turnId, TimeSpan? timeout = null) =>
        Browser.WaitForAsync(() => Turn(turnId) is { State: "ok" or "failed" } turn ? turn : null,
            timeout ?? TurnLimit, $"turn {turnId} to end");

    /// <summary>The page's own word for its connection: connected, reconnecting or offline.</summary>
    public string? Connection => browser.Run("return document.documentElement.dataset.connection ?? null;") as string;

    /// <summary>Marks the document, so <see cref="IsSameDocument"/> tells whether the tab was reloaded since.</summary>
    public void MarkDocument() => browser.Run("window.__konuiSameDocument = true;");

    public bool IsSameDocument() => browser.Run("return window.__konuiSameDocument === true;") is true;

    /// <summary>
    /// Starts recording, in the browser, every change of the newest turn's answer (its text, and whether it is marked
    /// as streaming), so what the reader saw is known even between WebDriver's polls.
    /// </summary>
    public void RecordAnswers() => browser.Run("""
        window.__konuiAnswers = [];
        const record = () => {
          const turns = document.querySelectorAll('article.turn');
          const turn = turns[turns.length - 1];
          if (!turn) return;
          const blocks = [...turn.querySelectorAll('.assistant-text')];
          const text = blocks.map(e => e.textContent.trim()).join('\n');
          const streaming = blocks.some(e => e.classList.contains('streaming'));
          const seen = window.__konuiAnswers;
          const last = seen[seen.length - 1];
          if (text.length === 0 || (last && last.text === text && last.streaming === streaming)) return;
          seen.push({ text, streaming });
        };
        new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
        record();
        """);

    /// <summary>The answers recorded since <see cref="RecordAnswers"/>, in the order they showed.</summary>
    public IReadOnlyList<RecordedAnswer> RecordedAnswers() =>
        JsonSerializer.Deserialize<List<RecordedAnswer>>(browser.Run<string>("return JSON.stringify(window.__konuiAnswers ?? []);"), Json) ?? [];
}
