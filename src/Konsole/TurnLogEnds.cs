using Konui.Core.Turns;

namespace Konsole;

/// <summary>
/// What listing a turn needs from its log: the first events, and from its end the last result, the last turn_end and
/// the highest sequence number.
/// </summary>
internal sealed record TurnLogEnds(IReadOnlyList<TurnEvent> Head, TurnResult? Result, TurnEnd? End, long LastSeq);
