using Konui.Blazor.Console;
using Konui.Core.Konsole;

namespace Konui.Blazor.Components.Pages.Sessions;

/// <summary>
/// Keeps a sessions page live: when the turns the konsoles run (from each machine's status, each second, through
/// <see cref="Konsoles"/>), or whether each waits for the user, or which machines are unreachable, differ from those
/// the page loaded, or from the last status, it reloads the page
/// on its renderer, one reload at a time. A reload that fails (says false) leaves the last state, so the next status tries again.
/// </summary>
internal sealed class RunningTurnsRefresh : IDisposable
{
    private readonly Konsoles _konsoles;
    private readonly Func<Func<Task>, Task> _onRenderer;
    private readonly Func<ActiveTurn, bool> _concerns;
    private readonly Func<Task<bool>> _reload;
    private HashSet<string> _running = new(StringComparer.Ordinal);
    private bool _reloading;

    /// <param name="onRenderer">The component's InvokeAsync.</param>
    /// <param name="concerns">Which of konsole's running turns the page shows.</param>
    /// <param name="reload">Reads the page's data again and renders it; false when konsole did not give it.</param>
    public RunningTurnsRefresh(Konsoles konsoles, Func<Func<Task>, Task> onRenderer, Func<ActiveTurn, bool> concerns, Func<Task<bool>> reload)
    {
        (_konsoles, _onRenderer, _concerns, _reload) = (konsoles, onRenderer, concerns, reload);
        konsoles.StatusChanged += OnStatus;
        konsoles.MachinesChanged += OnStatus;
    }

    /// <summary>The page loaded these running turns (each as its <see cref="Key"/>).</summary>
    public void Loaded(IEnumerable<string> runningTurns) =>
        _running = runningTurns.Concat(_konsoles.All.Where(m => m.IsOffline).Select(m => Offline(m.Name))).ToHashSet(StringComparer.Ordinal);

    private static string Offline(string machine) => "offline " + machine;

    /// <summary>A running turn as the page shows it: which turn, and whether it waits for the user.</summary>
    public static string Key(string turnId, bool waiting) => waiting ? turnId + " waiting" : turnId;

    public void Dispose()
    {
        _konsoles.StatusChanged -= OnStatus;
        _konsoles.MachinesChanged -= OnStatus;
    }

    private void OnStatus() => _ = _onRenderer(async () =>
    {
        var running = _konsoles.ActiveTurns.Select(a => a.Turn).Where(_concerns).Select(t => Key(t.TurnId, t.Waiting))
            .Concat(_konsoles.All.Where(m => m.IsOffline).Select(m => Offline(m.Name))).ToHashSet(StringComparer.Ordinal);
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
