namespace Konui.Core.Turns;

/// <summary>
/// The CLI withdrew one of its control requests (a can_use_tool it no longer waits for, e.g. after an interrupt).
/// Konsole turns it into a withdrawn decision_result; it is never part of a turn's log itself.
/// </summary>
public sealed record ControlCancel(string RequestId) : TurnEvent;
