namespace Konui.Blazor.Console;

/// <summary>
/// What every machine's konsole gave to one question (<see cref="Konsoles.AskAllAsync{T}"/>), each item with its
/// machine, and what those that did not answer said, by machine name.
/// </summary>
public sealed record AcrossMachines<T>(IReadOnlyList<OnMachine<T>> Items, IReadOnlyDictionary<string, string> Problems)
{
    /// <summary>No machine answered: the first problem, in words (with several machines, named).</summary>
    public string? Failure(int machines) => Items.Count == 0 && Problems.Count >= machines && Problems.Count > 0
        ? machines == 1 ? Problems.Values.First() : string.Join("; ", Problems.Select(p => $"{p.Key}: {p.Value}"))
        : null;
}
