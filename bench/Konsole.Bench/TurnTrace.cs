namespace Konsole.Bench;

/// <summary>
/// One turn as an SSE client saw it, in time since its POST was sent: the POST's answer, the first event on the
/// stream (turn_start), the CLI's init, the turn's end; how many events came, and each delta's arrival.
/// </summary>
internal sealed record TurnTrace(TimeSpan Accepted, TimeSpan FirstEvent, TimeSpan Init, TimeSpan Ended, long Events, IReadOnlyList<DeltaArrival> Deltas);
