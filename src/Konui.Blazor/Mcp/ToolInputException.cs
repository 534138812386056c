namespace Konui.Blazor.Mcp;

/// <summary>A tool call whose arguments cannot be used; the message says what to fix. Nothing was written.</summary>
internal sealed class ToolInputException(string message) : Exception(message);
