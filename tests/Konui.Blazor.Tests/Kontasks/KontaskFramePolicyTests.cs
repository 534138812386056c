using Konui.Blazor.Components.Pages.Kontasks;

namespace Konui.Blazor.Tests.Kontasks;

/// <summary>The frame's policy names Konui and the configured picture hosts and nothing a host entry could smuggle in.</summary>
public sealed class KontaskFramePolicyTests
{
    [Fact]
    public void The_policy_lets_pictures_come_from_konui_and_the_image_hosts_and_nothing_reach_the_network()
    {
        var policy = KontaskFramePolicy.ContentSecurityPolicy("http://127.0.0.1:8666", ["img.example.net", "cdn.example.org:8443", "evil.example; connect-src *", "*"]);

        var directives = policy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("img-src data: blob: http://127.0.0.1:8666 https://img.example.net http://img.example.net https://cdn.example.org:8443 http://cdn.example.org:8443", directives["img-src"]);
        Assert.Equal("script-src 'unsafe-inline' http://127.0.0.1:8666/js/ http://127.0.0.1:8666/lib/mermaid/", directives["script-src"]);
        Assert.Equal("connect-src 'none'", directives["connect-src"]);
        Assert.Equal("form-action 'none'", directives["form-action"]);
        Assert.Equal("default-src 'none'", directives["default-src"]);
        Assert.DoesNotContain("evil", policy, StringComparison.Ordinal);
        Assert.DoesNotContain(" * ", policy + " ", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">", "<wbr data-konui-meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">")]
    [InlineData("<META\nHTTP-EQUIV=Refresh CONTENT=0>", "<wbr data-konui-meta\nHTTP-EQUIV=Refresh CONTENT=0>")]
    [InlineData("<meta/http-equiv=refresh content=0>", "<wbr data-konui-meta/http-equiv=refresh content=0>")]
    [InlineData("<<meta x>meta http-equiv=refresh content=0>", "<<wbr data-konui-meta x>meta http-equiv=refresh content=0>")]
    [InlineData("<metadata>kept</metadata><p>metal</p>", "<metadata>kept</metadata><p>metal</p>")]
    public void Every_meta_tag_in_the_output_becomes_an_inert_wbr(string html, string expected) =>
        Assert.Equal(expected, KontaskFramePolicy.WithoutMeta(html));
}
