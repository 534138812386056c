using System.Globalization;

namespace Konui.Core.Kontasks;

/// <summary>
/// How big a kontask and its fields may be. The MCP tools refuse more; the index keeps at most an excerpt of what
/// another process appended, so a huge record never makes a list or a page huge.
/// </summary>
public static class KontaskLimits
{
    public const int TitleChars = 200;
    public const int DescriptionChars = 2_000;

    /// <summary>type, status, scope, targetUser, requestId, a tag, a choice's label.</summary>
    public const int ShortTextChars = 100;

    public const int Tags = 30;
    public const int Choices = 20;
    public const int ChoiceValueChars = 2_000;
    public const int OutputBytes = 2 * 1024 * 1024;

    /// <summary>A whole stored line: the output and up to 256 KB of everything else, fields this version does not know included.</summary>
    public const int RecordBytes = OutputBytes + 256 * 1024;

    /// <summary>How much of a description a list shows.</summary>
    public const int DescriptionExcerptChars = 300;

    /// <summary>Bytes as megabytes with at most two decimals, e.g. "2.25".</summary>
    public static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>At most <paramref name="chars"/> characters of <paramref name="text"/>, ending in an ellipsis when cut.</summary>
    public static string? Excerpt(string? text, int chars)
    {
        if (text is null || text.Length <= chars) return text;
        var cut = chars - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
