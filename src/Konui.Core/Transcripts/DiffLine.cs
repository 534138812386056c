namespace Konui.Core.Transcripts;

/// <summary>A line of a diff: unchanged (context), added or removed, with its number in the old and the new text.</summary>
public sealed record DiffLine(DiffLineKind Kind, string Text, int? OldNumber, int? NewNumber);

public enum DiffLineKind
{
    Context,
    Added,
    Removed,
}
