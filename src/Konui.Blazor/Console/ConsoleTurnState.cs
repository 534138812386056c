namespace Konui.Blazor.Console;

public enum ConsoleTurnState
{
    Idle,
    Running,
    Stopping,
}
