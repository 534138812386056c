namespace Konui.Core.Transcripts;

public enum ApplyOutcome
{
    /// <summary>The event changed the transcript.</summary>
    Applied,

    /// <summary>The event was there already (a replay overlap).</summary>
    Ignored,

    /// <summary>Events before this one are missing: fetch them, then apply this one again.</summary>
    Gap,
}
