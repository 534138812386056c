namespace Konui.Core.Kontasks;

/// <summary>The distinct values the kontask filters can offer.</summary>
public sealed record KontaskFacets(
    IReadOnlyList<string> Statuses,
    IReadOnlyList<string> Types,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Tags)
{
    public static readonly KontaskFacets Empty = new([], [], [], []);
}
