using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Konui.Blazor.Components.Pages.Dashboard;

/// <summary>
/// Assistant text as HTML: Markdown with raw HTML shown as text, and links and images only to http(s), mailto or
/// relative addresses (a model's "javascript:" link becomes inert, its autolink plain text). The HTML comes in one
/// piece per top-level block (paragraph, list, code block, ...), so a text that grows as it streams changes only in
/// its last pieces.
/// </summary>
public static class AssistantMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseGridTables()
        .UseEmphasisExtras()
        .UseListExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .UseFootnotes()
        .DisableHtml()
        .Build();

    /// <summary>The HTML of each top-level block of <paramref name="markdown"/>, in order; together, the HTML of the whole.</summary>
    public static IReadOnlyList<string> ToHtmlBlocks(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url)) link.Url = "#";
        }
        // An autolink (<javascript:...>) is its own kind of inline: an unsafe one is shown as its text.
        foreach (var autolink in document.Descendants<AutolinkInline>().Where(a => !a.IsEmail && !IsSafe(a.Url)).ToList())
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }
        var blocks = new List<string>(document.Count);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        foreach (var block in document)
        {
            renderer.Render(block);
            writer.Flush();
            blocks.Add(writer.ToString());
            writer.GetStringBuilder().Clear();
        }
        return blocks;
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return true;
        var trimmed = url.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute)) return !trimmed.Contains(':', StringComparison.Ordinal);
        return absolute.Scheme is "http" or "https" or "mailto";
    }
}
