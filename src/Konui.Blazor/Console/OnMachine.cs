namespace Konui.Blazor.Console;

/// <summary>Something a machine's konsole gave (a session, a turn), with the machine it came from.</summary>
public sealed record OnMachine<T>(KonsoleMachine Machine, T Item);
