using System.Globalization;
using Konui.Core.Tests.Turns;
using Konui.Core.Transcripts;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Transcripts;

/// <summary>
/// A recording as konsole serves it: turn_start, the recording's events numbered and timed one second apart (each
/// can_use_tool a decision with konsole's id, nobody answering it), turn_end.
/// </summary>
internal static class ServedTurn
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-02T03:00:00Z", CultureInfo.InvariantCulture);

    public static List<TurnEvent> Events(string recording, string turnId = "t1", DateTimeOffset? startedAt = null) =>
        Events(Recordings.Parse(recording), turnId, startedAt);

    public static List<TurnEvent> Events(IEnumerable<TurnEvent> parsed, string turnId = "t1", DateTimeOffset? startedAt = null)
    {
        var start = startedAt ?? T0;
        var events = new List<TurnEvent> { new TurnStart(turnId, "s1", "req-" + turnId, "Review it", 0) { Seq = 1, At = start } };
        foreach (var turnEvent in parsed.Where(e => e is not ControlResponse and not ControlCancel))
        {
            var served = turnEvent is DecisionRequest request ? request with { DecisionId = $"dec_{events.Count}" } : turnEvent;
            events.Add(served with { Seq = events.Count + 1, At = start.AddSeconds(events.Count) });
        }
        events.Add(new TurnEnd(true, null, null) { Seq = events.Count + 1, At = start.AddSeconds(events.Count) });
        return events;
    }

    /// <summary>Applies the events to <paramref name="transcript"/> (a new one when none) and returns the turn.</summary>
    public static TranscriptTurn Fold(IReadOnlyList<TurnEvent> events, Transcript? transcript = null)
    {
        transcript ??= new Transcript();
        var turnId = ((TurnStart)events[0]).TurnId;
        foreach (var turnEvent in events) Assert.Equal(ApplyOutcome.Applied, transcript.Apply(turnId, turnEvent));
        return transcript.Find(turnId)!;
    }

    /// <summary>Every tool call of the turn, in order, with the name given.</summary>
    public static List<ToolCall> Calls(TranscriptTurn turn, string name) => turn.Items.OfType<ToolCall>().Where(c => c.Name == name).ToList();
}
