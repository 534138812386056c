using Konui.Testing;

namespace Konui.EndToEnd.Tests;

/// <summary>What the tests read from the Kontasks list (/kontasks) in a <see cref="Browser"/>.</summary>
public static class KontasksPage
{
    public const string Path = "/kontasks";

    /// <summary>
    /// Starts watching the current page for a row titled <paramref name="title"/>: the browser notes the wall-clock time
    /// (Unix ms) the row entered the DOM, so the latency measured does not include WebDriver's polling.
    /// Also marks the document, so <see cref="IsSameDocument"/> can tell whether the page was reloaded since.
    /// </summary>
    public static void WatchForRow(Browser browser, string title) => browser.Run("""
        const title = arguments[0];
        window.__konuiSameDocument = true;
        window.__konuiRowSeenAt = window.__konuiRowSeenAt || {};
        const check = () => {
          if (title in window.__konuiRowSeenAt) return;
          if ([...document.querySelectorAll('.kontask-row-title')].some(e => e.textContent === title)) window.__konuiRowSeenAt[title] = Date.now();
        };
        new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
        check();
        """, title);

    /// <summary>When the row titled <paramref name="title"/> appeared (Unix ms), or null while it has not.</summary>
    public static long? RowSeenAt(Browser browser, string title) =>
        browser.Run("return (window.__konuiRowSeenAt || {})[arguments[0]] ?? null;", title) is long at ? at : null;

    public static Task<string> WaitForRowAsync(Browser browser, string title, TimeSpan timeout) =>
        Browser.WaitForAsync(
            () => browser.Run("return [...document.querySelectorAll('.kontask-row')].find(r => r.querySelector('.kontask-row-title')?.textContent === arguments[0])?.dataset.kontaskId ?? null;", title) as string,
            timeout, $"the row \"{title}\" on {browser.Driver.Url}");

    /// <summary>True when the page has not been reloaded or navigated away since <see cref="WatchForRow"/>.</summary>
    public static bool IsSameDocument(Browser browser) => browser.Run("return window.__konuiSameDocument === true;") is true;
}
