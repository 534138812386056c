namespace Konui.Blazor.Components;

/// <summary>How a tool is named on a page: an MCP tool ("mcp__konui__konui_create_task") by its own name alone.</summary>
internal static class ToolName
{
    public static string Shown(string name) => name.StartsWith("mcp__", StringComparison.Ordinal) ? name.Split("__")[^1] : name;
}
