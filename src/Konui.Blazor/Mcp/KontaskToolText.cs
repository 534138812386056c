using Konui.Core.Kontasks;

namespace Konui.Blazor.Mcp;

/// <summary>What the model reads about the kontask tools (named in <see cref="KonuiTools"/>): the descriptions two tools share.</summary>
internal static class KontaskToolText
{
    public const string Output =
        "ALL of the card's content as one self-contained HTML fragment (at most 2 MB): headings, tables, code, findings. " +
        "It renders in a sandboxed iframe with a dark background (#2d2d2d). Inline <style> and <script> work; external " +
        "requests do not. For diagrams put <div id=\"d1\"></div> and then <script>renderMermaidDiagram('d1', 'graph TD; A-->B')</script>.";

    public const string Choices =
        "Clickable answers shown as buttons under the card (at most 20). A click sends the choice's value as the user's " +
        "next prompt, so write the value as the instruction you want to receive.";

    public const string ServerInstructions =
        $"Konui shows kontasks (rich cards) on the user's dashboard. Use {KonuiTools.CreateTask} to report results, plans and " +
        "questions: all content goes in context.output as HTML, and pass the turn's requestId.";
}
