namespace Konui.Blazor.Console;

/// <summary>
/// A konsole on another host, one entry of Konsole:Hosts: the name Konui shows it by, its address, and the access token
/// its API demands (kept on the server: it never reaches a page, a log or an address).
/// </summary>
public sealed class KonsoleHost
{
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    public string? AccessToken { get; set; }

    /// <summary>
    /// What is wrong with a list of machines, in words, one line each: a name missing or used twice ("local" is the
    /// konsole Konui runs with), an address that is not an absolute http or https URL. Empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> Problems(IEnumerable<KonsoleHost> hosts)
    {
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Konsoles.LocalName };
        var index = 0;
        foreach (var host in hosts)
        {
            var which = string.IsNullOrWhiteSpace(host.Name) ? $"Konsole:Hosts:{index}" : $"Konsole:Hosts:{index} (\"{host.Name}\")";
            if (string.IsNullOrWhiteSpace(host.Name)) problems.Add($"{which} has no Name: give each konsole a name to show it by.");
            else if (string.Equals(host.Name, Konsoles.LocalName, StringComparison.OrdinalIgnoreCase))
                problems.Add($"{which}: \"{Konsoles.LocalName}\" is the konsole Konui runs with (embedded, or Konsole:Url); give this one another name.");
            else if (!names.Add(host.Name.Trim())) problems.Add($"{which}: the name is used twice; each konsole needs its own.");
            if (!Uri.TryCreate(host.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                problems.Add($"{which}: Url \"{host.Url}\" is not an absolute http or https address (like http://build-server:8020).");
            index++;
        }
        return problems;
    }
}
