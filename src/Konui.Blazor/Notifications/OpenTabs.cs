using System.Collections.Concurrent;

namespace Konui.Blazor.Notifications;

/// <summary>
/// The browser tabs connected to Konui now, as their circuits report them (<see cref="TabPresence"/>): whether each
/// is visible and which console session it shows. Web Push waits while someone looks at the session.
/// </summary>
public sealed class OpenTabs
{
    private readonly ConcurrentDictionary<TabPresence, byte> _tabs = new();

    public void Add(TabPresence tab) => _tabs.TryAdd(tab, 0);

    public void Remove(TabPresence tab) => _tabs.TryRemove(tab, out _);

    /// <summary>Whether a visible, connected tab shows <paramref name="sessionId"/>.</summary>
    public bool Shows(string sessionId) => _tabs.Keys.Any(t => t.IsSeen && t.SessionId == sessionId);
}
