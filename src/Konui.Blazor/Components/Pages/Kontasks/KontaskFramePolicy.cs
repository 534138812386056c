using System.Text.RegularExpressions;

namespace Konui.Blazor.Components.Pages.Kontasks;

/// <summary>
/// What a kontask's output may do inside its sandboxed frame, besides what the sandbox already forbids: its scripts
/// (inline ones, Konui's frame script and the vendored mermaid) reach no network, its forms go nowhere, its pictures
/// come only from data:, Konui itself and the configured image hosts, and it cannot refresh itself to another address.
/// </summary>
public static partial class KontaskFramePolicy
{
    /// <summary>The Content-Security-Policy of a frame in a page served from <paramref name="origin"/> ("http://host:port").</summary>
    public static string ContentSecurityPolicy(string origin, IEnumerable<string> imageHosts)
    {
        var pictures = string.Join(' ', imageHosts.Where(IsHost).SelectMany(host => (string[])[$"https://{host}", $"http://{host}"]));
        return $"default-src 'none'; script-src 'unsafe-inline' {origin}/js/ {origin}/lib/mermaid/; style-src 'unsafe-inline'; "
            + $"img-src data: blob: {origin} {pictures}".TrimEnd() + "; font-src data:; media-src data: blob:; "
            + "connect-src 'none'; form-action 'none'; base-uri 'none'; frame-src 'none'; object-src 'none'; worker-src 'none'";
    }

    /// <summary>
    /// The output with every &lt;meta&gt; tag made an inert &lt;wbr&gt;: a meta refresh would take the frame to another
    /// address, and no policy stops it. (The tag's attributes stay on the &lt;wbr&gt;, where they mean nothing.)
    /// </summary>
    public static string WithoutMeta(string html) => MetaTag().Replace(html, "<wbr data-konui-meta");

    /// <summary>A host name with an optional port: nothing that could add a source or a directive to the policy.</summary>
    private static bool IsHost(string host) => HostName().IsMatch(host);

    [GeneratedRegex(@"<meta(?=[\s/>])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaTag();

    [GeneratedRegex(@"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
