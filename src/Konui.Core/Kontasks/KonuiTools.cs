namespace Konui.Core.Kontasks;

/// <summary>
/// The names of Konui's MCP tools: as its MCP server offers them, and as Claude Code calls them
/// (mcp__&lt;server&gt;__&lt;tool&gt;, the server being <see cref="Server"/> in the CLI's MCP config).
/// </summary>
public static class KonuiTools
{
    public const string Server = "konui";

    public const string CreateTask = "konui_create_task";
    public const string UpdateTask = "konui_update_task";
    public const string GetTask = "konui_get_task";
    public const string ListTasks = "konui_list_tasks";

    /// <summary>konui_create_task as Claude Code names it.</summary>
    public const string CreateTaskInClaude = "mcp__" + Server + "__" + CreateTask;

    public static readonly IReadOnlyList<string> All = [CreateTask, UpdateTask, GetTask, ListTasks];

    /// <summary>A tool as Claude Code names it: mcp__konui__konui_get_task.</summary>
    public static string InClaude(string tool) => $"mcp__{Server}__{tool}";
}
