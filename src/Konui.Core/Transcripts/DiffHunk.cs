namespace Konui.Core.Transcripts;

/// <summary>One run of changed lines with the unchanged lines around it, as a unified diff's <c>@@ -a,b +c,d @@</c> block.</summary>
public sealed record DiffHunk(int OldStart, int OldLines, int NewStart, int NewLines, IReadOnlyList<DiffLine> Lines)
{
    public string Header => $"@@ -{OldStart},{OldLines} +{NewStart},{NewLines} @@";
}
