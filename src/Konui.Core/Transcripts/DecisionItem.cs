namespace Konui.Core.Transcripts;

/// <summary>A decision whose tool call the transcript has not seen (yet): shown on its own, so it can still be answered.</summary>
public sealed class DecisionItem : TranscriptItem
{
    public required TranscriptDecision Decision { get; init; }
}
