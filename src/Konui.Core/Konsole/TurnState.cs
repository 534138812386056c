namespace Konui.Core.Konsole;

public enum TurnState
{
    Running,
    Stopping,
    Ended,
}
