namespace Konui.Core.Kontasks;

/// <summary>
/// What the kontask list needs of a kontask, kept in memory for every kontask; the full record (output and all)
/// stays in the file at <see cref="Offset"/> and is read on demand.
/// </summary>
public sealed record KontaskSummary(
    string Id,
    string Title,
    string? Description,
    string? Type,
    string? Status,
    string? Scope,
    IReadOnlyList<string> Tags,
    string? RequestId,
    string? CreatedBy,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    TurnTiming? Timing,
    int ChoiceCount,
    long Offset,
    int Length,
    long LineNumber)
{
    internal long Ordinal { get; init; }

    internal long SortTicks => CreatedAt?.UtcTicks ?? 0;

    /// <summary>An indexed line's summary; repeated values (status, type, scope, author, tags) come from <paramref name="shared"/>.</summary>
    internal static KontaskSummary From(KontaskIndexEntry entry, long offset, int length, long lineNumber, Func<string?, string?> shared) => new(
        entry.Id,
        entry.Title,
        entry.Description,
        shared(entry.Type),
        shared(entry.Status),
        shared(entry.Scope),
        entry.Tags is { Count: > 0 } tags ? tags.Select(t => shared(t)!).ToArray() : [],
        entry.RequestId ?? entry.Context?.RequestId,
        shared(entry.CreatedBy),
        entry.CreatedAt,
        entry.UpdatedAt,
        entry.Context?.TurnTiming,
        entry.Context?.Choices?.Count ?? 0,
        offset,
        length,
        lineNumber);

    public static KontaskSummary From(Kontask kontask, long offset, int length, long lineNumber) => new(
        kontask.Id,
        kontask.Title,
        kontask.Description,
        kontask.Type,
        kontask.Status,
        kontask.Scope,
        kontask.Tags is { Count: > 0 } tags ? tags.ToArray() : [],
        kontask.TurnRequestId,
        kontask.CreatedBy,
        kontask.CreatedAt,
        kontask.UpdatedAt,
        kontask.Context?.TurnTiming,
        kontask.Context?.Choices?.Count ?? 0,
        offset,
        length,
        lineNumber);
}
