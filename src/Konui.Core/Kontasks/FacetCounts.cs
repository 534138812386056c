namespace Konui.Core.Kontasks;

/// <summary>
/// How many kontasks have each status, type, scope and tag, kept up to date as kontasks come and change, so the
/// filters' values are known without scanning every kontask. The sorted lists are rebuilt only when a value appears
/// or disappears.
/// </summary>
internal sealed class FacetCounts
{
    private readonly Dictionary<string, int> _statuses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _types = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _scopes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _tags = new(StringComparer.OrdinalIgnoreCase);
    private KontaskFacets? _facets;

    public KontaskFacets Facets => _facets ??= new KontaskFacets(Sorted(_statuses), Sorted(_types), Sorted(_scopes), Sorted(_tags));

    public void Add(KontaskSummary kontask) => Count(kontask, +1);

    public void Remove(KontaskSummary kontask) => Count(kontask, -1);

    public void Clear()
    {
        _statuses.Clear();
        _types.Clear();
        _scopes.Clear();
        _tags.Clear();
        _facets = null;
    }

    private void Count(KontaskSummary kontask, int by)
    {
        Count(_statuses, kontask.Status, by);
        Count(_types, kontask.Type, by);
        Count(_scopes, kontask.Scope, by);
        var tags = kontask.Tags;
        for (var i = 0; i < tags.Count; i++)
        {
            if (!Repeats(tags, i)) Count(_tags, tags[i], by);
        }
    }

    /// <summary>Whether the tag at <paramref name="at"/> came before in the list (a kontask has a few tags: no set is made for them).</summary>
    private static bool Repeats(IReadOnlyList<string> tags, int at)
    {
        for (var i = 0; i < at; i++)
        {
            if (string.Equals(tags[i], tags[at], StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private void Count(Dictionary<string, int> counts, string? value, int by)
    {
        if (string.IsNullOrEmpty(value)) return;
        var count = counts.GetValueOrDefault(value) + by;
        if (count > 0 == counts.ContainsKey(value))
        {
            counts[value] = count;
            return;
        }
        if (count > 0) counts[value] = count;
        else counts.Remove(value);
        _facets = null;
    }

    private static string[] Sorted(Dictionary<string, int> counts) => counts.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray();
}
