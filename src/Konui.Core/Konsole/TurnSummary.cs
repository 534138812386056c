using Konui.Core.Kontasks;
using Konui.Core.Turns;

namespace Konui.Core.Konsole;

/// <summary>A turn as lists show it: what was asked, how it ended, what it cost.</summary>
public sealed record TurnSummary(
    string TurnId,
    string SessionId,
    string RequestId,
    string Prompt,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    TurnState State,
    bool? Success,
    string? Error,
    string? Model,
    double? CostUsd,
    TurnUsage? Usage,
    TurnTiming? Timing,
    long LastSeq,
    IReadOnlyDictionary<string, int>? ToolCalls = null,
    IReadOnlyList<PendingDecision>? PendingDecisions = null)
{
    /// <summary>Claude Code waits for the user: the turn has a pending decision.</summary>
    public bool Waiting => PendingDecisions is { Count: > 0 };
}
