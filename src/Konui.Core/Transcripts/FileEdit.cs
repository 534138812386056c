namespace Konui.Core.Transcripts;

/// <summary>A Write, Edit or MultiEdit: the change it makes (before it ran) or made (after), as a diff.</summary>
public sealed record FileEdit(FileDiff Diff) : ToolReview;
