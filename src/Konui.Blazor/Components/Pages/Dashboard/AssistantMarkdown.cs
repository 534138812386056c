using System.Net;
using Konui.Blazor.Hosting;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.Extensions.Options;

namespace Konui.Blazor.Components.Pages.Dashboard;

/// <summary>
/// Assistant text as HTML: Markdown with raw HTML shown as text, and links and images only to http(s), mailto or
/// relative addresses (a model's "javascript:" link becomes inert, its autolink plain text). A picture from another
/// host shows only after a click on a button naming the host, unless the host is in Konui:ImageHosts (a picture the
/// model points at would tell that host who reads the answer, and when); pictures and links send no referrer. The
/// HTML comes in one piece per top-level block (paragraph, list, code block, ...), so a text that grows as it
/// streams changes only in its last pieces.
/// </summary>
public sealed class AssistantMarkdown(IOptions<KonuiOptions> options)
{
    private readonly HashSet<string> _imageHosts = new(options.Value.ImageHosts, StringComparer.OrdinalIgnoreCase);

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
    public IReadOnlyList<string> ToHtmlBlocks(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!IsSafe(link.Url)) link.Url = "#";
            if (link.IsImage && RemoteHost(link.Url) is { } host && !_imageHosts.Contains(host))
            {
                link.ReplaceBy(new HtmlInline(AskFirst(link, host)));
                continue;
            }
            link.GetAttributes().AddPropertyIfNotExist(link.IsImage ? "referrerpolicy" : "rel", link.IsImage ? "no-referrer" : "noreferrer");
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

    /// <summary>The host of an absolute http(s) address; null for a relative one (Konui's own).</summary>
    private static string? RemoteHost(string? url) =>
        IsRelative(url) || !Uri.TryCreate(url!.Trim(), UriKind.Absolute, out var absolute) || absolute.Scheme is not ("http" or "https") ? null : absolute.Host;

    /// <summary>The button that stands for a picture until it is clicked (wwwroot/js/konui.js shows the picture).</summary>
    private static string AskFirst(LinkInline image, string host)
    {
        var alt = string.Concat(image.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
        var label = alt.Length > 0 ? $"Picture from {host}: {alt}" : $"Picture from {host}";
        return $"<button type=\"button\" class=\"konui-remote-image\" data-src=\"{WebUtility.HtmlEncode(image.Url!.Trim())}\" "
            + $"data-alt=\"{WebUtility.HtmlEncode(alt)}\" title=\"Show the picture (it loads from {WebUtility.HtmlEncode(host)})\">"
            + $"{WebUtility.HtmlEncode(label)} · click to show</button>";
    }

    private static bool IsSafe(string? url)
    {
        if (IsRelative(url)) return true;
        var trimmed = url!.Trim();
        if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith('\\')) return false;
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute)) return !trimmed.Contains(':', StringComparison.Ordinal);
        return absolute.Scheme is "http" or "https" or "mailto";
    }

    /// <summary>
    /// A path on Konui itself ("/favicon.svg", "#notes"); on Linux Uri reads "/favicon.svg" as a file path, so paths are
    /// told apart before Uri sees them. "//host/..." is another host, not a path.
    /// </summary>
    private static bool IsRelative(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return true;
        var trimmed = url.Trim();
        return trimmed[0] is '/' or '#' or '?' && !trimmed.StartsWith("//", StringComparison.Ordinal) && !trimmed.StartsWith("/\\", StringComparison.Ordinal);
    }
}
