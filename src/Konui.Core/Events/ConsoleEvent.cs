using Konui.Core.Turns;

namespace Konui.Core.Events;

/// <summary>A turn event as the bus carries it: numbered in the order its console session saw it.</summary>
public sealed record ConsoleEvent(string SessionId, long Seq, string TurnId, TurnEvent Event);
