using Konui.Blazor.Console;
using Konui.Testing;

namespace Konui.Blazor.Tests.Console;

public sealed class KonsoleHostTests
{
    private static KonsoleHost Host(string name, string url) => new() { Name = name, Url = url, AccessToken = "t0ken" };

    [Fact]
    public void Named_konsoles_at_absolute_http_or_https_addresses_are_right()
    {
        Assert.Empty(KonsoleHost.Problems([Host("build", "http://build-server:8020"), Host("laptop", "https://laptop.tail.ts.net:8443/")]));
    }

    [Fact]
    public void A_missing_or_repeated_name_local_and_an_address_that_is_not_one_are_each_said_in_words()
    {
        var problems = KonsoleHost.Problems([
            Host("", "http://a:8020"),
            Host("build", "http://b:8020"),
            Host("Build", "http://c:8020"),
            Host("local", "http://d:8020"),
            Host("ftp", "ftp://e/"),
            Host("relative", "build-server:8020/api"),
        ]);

        Assert.Equal([
            "Konsole:Hosts:0 has no Name: give each konsole a name to show it by.",
            "Konsole:Hosts:2 (\"Build\"): the name is used twice; each konsole needs its own.",
            "Konsole:Hosts:3 (\"local\"): \"local\" is the konsole Konui runs with (embedded, or Konsole:Url); give this one another name.",
            "Konsole:Hosts:4 (\"ftp\"): Url \"ftp://e/\" is not an absolute http or https address (like http://build-server:8020).",
            "Konsole:Hosts:5 (\"relative\"): Url \"build-server:8020/api\" is not an absolute http or https address (like http://build-server:8020).",
        ], problems);
        Assert.DoesNotContain(problems, p => p.Contains("t0ken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Konui_with_a_konsole_host_that_is_not_right_does_not_start_and_says_why()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => KonuiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Konsole__Hosts__0__Name"] = "build",
            ["Konsole__Hosts__0__Url"] = "build-server:8020",
            ["Konsole__Hosts__0__AccessToken"] = "secret-of-build",
        }));

        Assert.Contains("Konui cannot start: Konsole:Hosts is not right:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Url \"build-server:8020\" is not an absolute http or https address", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-of-build", failure.Message, StringComparison.Ordinal);
    }
}
