namespace Konui.Core.Kontasks;

/// <summary>A search over kontasks: text over title, description and tags, exact filters, an id's start, and a page window.</summary>
public sealed record KontaskQuery(
    string? Search = null,
    string? Status = null,
    string? Type = null,
    string? Scope = null,
    string? Tag = null,
    string? RequestId = null,
    int Skip = 0,
    int Take = 50,
    string? IdPrefix = null)
{
    internal bool HasFilter =>
        !string.IsNullOrWhiteSpace(Search) || Status != null || Type != null || Scope != null || Tag != null ||
        RequestId != null || !string.IsNullOrWhiteSpace(IdPrefix);

    internal bool Matches(KontaskSummary k)
    {
        if (Status != null && !string.Equals(k.Status, Status, StringComparison.OrdinalIgnoreCase)) return false;
        if (Type != null && !string.Equals(k.Type, Type, StringComparison.OrdinalIgnoreCase)) return false;
        if (Scope != null && !string.Equals(k.Scope, Scope, StringComparison.OrdinalIgnoreCase)) return false;
        if (RequestId != null && !string.Equals(k.RequestId, RequestId, StringComparison.Ordinal)) return false;
        if (Tag != null && !k.Tags.Contains(Tag, StringComparer.OrdinalIgnoreCase)) return false;
        if (!string.IsNullOrWhiteSpace(IdPrefix) && !k.Id.StartsWith(IdPrefix.Trim(), StringComparison.OrdinalIgnoreCase)) return false;
        if (string.IsNullOrWhiteSpace(Search)) return true;
        var text = Search.Trim();
        return k.Title.Contains(text, StringComparison.OrdinalIgnoreCase)
            || (k.Description?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
            || k.Tags.Any(t => t.Contains(text, StringComparison.OrdinalIgnoreCase));
    }
}
