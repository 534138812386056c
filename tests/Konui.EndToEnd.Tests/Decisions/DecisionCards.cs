using System.Text.Json;
using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests.Decisions;

/// <summary>What the tests read and press on the decision cards in the current tab of a <see cref="Browser"/>.</summary>
public sealed class DecisionCards(Browser browser)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string ReadCards = """
        return JSON.stringify([...document.querySelectorAll('.decision-card')].map(c => ({
          decisionId: c.dataset.decisionId,
          state: c.dataset.state,
          tool: c.dataset.tool,
          ask: c.querySelector('.decision-ask')?.textContent ?? '',
          outcome: c.querySelector('.decision-outcome-text')?.textContent ?? '',
          command: c.querySelector('.decision-command')?.textContent ?? null,
        })));
        """;

    public IReadOnlyList<ShownCard> All() => JsonSerializer.Deserialize<List<ShownCard>>(browser.Run<string>(ReadCards), Json) ?? [];

    public ShownCard? Find(string decisionId) => All().FirstOrDefault(c => c.DecisionId == decisionId);

    /// <summary>Waits for a card of <paramref name="tool"/> that waits for an answer.</summary>
    public Task<ShownCard> WaitForPendingAsync(string tool, TimeSpan? timeout = null) =>
        Browser.WaitForAsync(() => All().FirstOrDefault(c => c.Tool == tool && c.State == "waiting"), timeout ?? Dashboard.DashboardPage.TurnLimit, $"a {tool} card waiting for an answer");

    /// <summary>Waits until the card is in <paramref name="state"/>.</summary>
    public Task<ShownCard> WaitForStateAsync(string decisionId, string state, TimeSpan? timeout = null) =>
        Browser.WaitForAsync(() => Find(decisionId) is { } card && card.State == state ? card : null, timeout ?? TimeSpan.FromSeconds(15), $"card {decisionId} to be {state}");

    public IWebElement Element(string decisionId) => browser.Driver.FindElement(By.CssSelector($".decision-card[data-decision-id='{decisionId}']"));

    /// <summary>Clicks something in the card (a button, an option).</summary>
    public void Click(string decisionId, string css) => Element(decisionId).FindElement(By.CssSelector(css)).Click();

    /// <summary>Types into a field of the card.</summary>
    public void Type(string decisionId, string css, string text) => Element(decisionId).FindElement(By.CssSelector(css)).SendKeys(text);

    /// <summary>The status bar's "Waiting for you", or null when it does not say so.</summary>
    public string? StatusWaiting => browser.FindOrNull(".status-waiting")?.Text;
}
