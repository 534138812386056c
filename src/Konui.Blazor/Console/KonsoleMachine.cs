using Konui.Core.Konsole;

namespace Konui.Blazor.Console;

/// <summary>
/// One machine Konui drives: a konsole by its name ("local" for the one Konui runs with), the client that reaches it
/// (with its token, when it has one), and its watch: its health, the turns running there, and their readers.
/// </summary>
public sealed class KonsoleMachine(string name, KonsoleClient client, KonsoleWatch watch)
{
    public string Name { get; } = name;

    public KonsoleClient Client { get; } = client;

    public KonsoleWatch Watch { get; } = watch;

    /// <summary>The konsole does not answer now (it stopped, or the network to it is down): see <see cref="KonsoleWatch.Problem"/>.</summary>
    public bool IsOffline => Watch.Problem is not null;

    public override string ToString() => Name;
}
