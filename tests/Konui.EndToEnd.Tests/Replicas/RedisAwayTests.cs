using System.Net;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Replicas;

/// <summary>A replica whose Redis is not there serves pages, and adds what it queued (kontasks, its data-protection key) once Redis comes.</summary>
public sealed class RedisAwayTests
{
    [Fact]
    public async Task A_replica_started_without_its_Redis_serves_and_adds_the_kontasks_it_queued_when_Redis_comes()
    {
        var port = FreePort.Next();
        await using var konui = await KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konui__Redis"] = $"127.0.0.1:{port}" });
        using var http = konui.NewHttpClient();
        using (var page = await http.GetAsync("/kontasks"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        var first = await KonuiMcp.CreateKontaskAsync(konui, new() { ["title"] = "Made while Redis was away", ["status"] = "ready" });
        var second = await KonuiMcp.CreateKontaskAsync(konui, new() { ["title"] = "Also made while Redis was away", ["status"] = "ready" });
        Assert.Contains(first, await File.ReadAllTextAsync(konui.KontasksFile), StringComparison.Ordinal);

        await using var redis = await RedisServer.StartAsync(port);

        var feed = "";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!feed.Contains(second, StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"The queued kontasks did not reach Redis's feed in 30 s: {feed}");
            await Task.Delay(100);
            feed = await redis.CommandAsync("XRANGE", "konui:kontasks", "-", "+");
        }
        Assert.True(feed.IndexOf(first, StringComparison.Ordinal) < feed.IndexOf(second, StringComparison.Ordinal), "The queued kontasks reached Redis out of order.");
        Assert.Equal("2", (await redis.CommandAsync("XLEN", "konui:kontasks")).Trim());
        // The data-protection key the page was rendered with (made while Redis was away) is shared now too.
        Assert.Equal("1", (await redis.CommandAsync("LLEN", "konui:data-protection-keys")).Trim());
    }
}
