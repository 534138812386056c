using Konui.Blazor.Console;
using Konui.Core.Konsole;

namespace Konui.Blazor.Components.Pages.Sessions;

/// <summary>
/// Keeps a sessions page live: when the turns konsole runs (from <see cref="KonsoleWatch"/>'s status, each second),
/// or whether each waits for the user, differ from those the page loaded, or from the last status, it reloads the page
/// on its renderer, one reload at a time. A reload that fails (says false) leaves the last state, so the next status tries again.
/// </summary>
internal sealed class RunningTurnsRefresh : IDisposable
{
    private readonly KonsoleWatch _watch;
    private readonly Func<Func<Task>, Task> _onRenderer;
    private readonly Func<ActiveTurn, bool> _concerns;
    private readonly Func<Task<bool>> _reload;
    private HashSet<string> _running = new(StringComparer.Ordinal);
    private bool _reloading;

    /// <param name="onRenderer">The component's InvokeAsync.</param>
    /// <param name="concerns">Which of konsole's running turns the page shows.</param>
    /// <param name="reload">Reads the page's data again and renders it; false when konsole did not give it.</param>
    public RunningTurnsRefresh(KonsoleWatch watch, Func<Func<Task>, Task> onRenderer, Func<ActiveTurn, bool> concerns, Func<Task<bool>> reload)
    {
        (_watch, _onRenderer, _concerns, _reload) = (watch, onRenderer, concerns, reload);
        watch.StatusChanged += OnStatus;
    }

    /// <summary>The page loaded these running turns (each as its <see cref="Key"/>).</summary>
    public void Loaded(IEnumerable<string> runningTurns) => _running = runningTurns.ToHashSet(StringComparer.Ordinal);

    /// <summary>A running turn as the page shows it: which turn, and whether it waits for the user.</summary>
    public static string Key(string turnId, bool waiting) => waiting ? turnId + " waiting" : turnId;

    public void Dispose() => _watch.StatusChanged -= OnStatus;

    private void OnStatus() => _ = _onRenderer(async () =>
    {
        var running = (_watch.Status?.ActiveTurns ?? []).Where(_concerns).Select(t => Key(t.TurnId, t.Waiting)).ToHashSet(StringComparer.Ordinal);
        if (_reloading || running.SetEquals(_running)) return;
        _reloading = true;
        try
        {
            if (await _reload()) _running = running;
        }
        finally
        {
            _reloading = false;
        }
    });
}
