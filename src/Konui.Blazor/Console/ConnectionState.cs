namespace Konui.Blazor.Console;

/// <summary>The browser's connection to Konui as the server sees it.</summary>
public enum ConnectionState
{
    Connected,
    Reconnecting,
}
