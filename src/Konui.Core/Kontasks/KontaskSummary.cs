namespace Konui.Core.Kontasks;

/// <summary>
/// What the kontask list needs of a kontask, kept in memory for every kontask; the full record (output and all)
/// stays in the file at <see cref="Offset"/> and is read on demand. Its texts are bounded excerpts
/// (<see cref="KontaskLimits"/>), so a huge record another process appended makes neither the index nor a list huge.
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
    /// <summary>The order kontasks were first seen in, which breaks ties of <see cref="CreatedAt"/>; the store sets it before anyone else sees the summary.</summary>
    internal long Ordinal { get; set; }

    /// <summary>The stored line is over <see cref="KontaskLimits.RecordBytes"/>: it is never read in full (see <see cref="KontaskStore.Get"/>).</summary>
    public bool IsOversize => Length > KontaskLimits.RecordBytes;

    internal long SortTicks => CreatedAt?.UtcTicks ?? 0;

    public static KontaskSummary From(Kontask kontask, long offset, int length, long lineNumber) => new(
        kontask.Id,
        KontaskLimits.Excerpt(kontask.Title, KontaskLimits.TitleChars)!,
        KontaskLimits.Excerpt(kontask.Description, KontaskLimits.DescriptionExcerptChars),
        Short(kontask.Type),
        Short(kontask.Status),
        Short(kontask.Scope),
        TagExcerpts(kontask.Tags, value => value),
        Short(kontask.TurnRequestId),
        Short(kontask.CreatedBy),
        kontask.CreatedAt,
        kontask.UpdatedAt,
        kontask.Context?.TurnTiming,
        kontask.Context?.Choices?.Count ?? 0,
        offset,
        length,
        lineNumber);

    private static string? Short(string? text) => KontaskLimits.Excerpt(text, KontaskLimits.ShortTextChars);

    private static string[] TagExcerpts(List<string>? tags, Func<string?, string?> shared) =>
        tags is { Count: > 0 } ? tags.OfType<string>().Take(KontaskLimits.Tags).Select(t => shared(Short(t))!).ToArray() : [];
}
