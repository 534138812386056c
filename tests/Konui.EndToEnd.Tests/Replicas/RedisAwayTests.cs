using System.Net;
using Konui.Core.Kontasks;
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

        var feed = await WaitForFeedAsync(redis, second);
        Assert.True(feed.IndexOf(first, StringComparison.Ordinal) < feed.IndexOf(second, StringComparison.Ordinal), "The queued kontasks reached Redis out of order.");
        Assert.Equal("2", (await redis.CommandAsync("XLEN", "konui:kontasks")).Trim());
        // The data-protection key the page was rendered with (made while Redis was away) is shared now too.
        Assert.Equal("1", (await redis.CommandAsync("LLEN", "konui:data-protection-keys")).Trim());
    }

    [Fact]
    public async Task Kontasks_queued_for_an_absent_Redis_and_appended_while_Konui_was_stopped_go_to_Redis_when_it_starts_again()
    {
        var port = FreePort.Next();
        await using var konui = await KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konui__Redis"] = $"127.0.0.1:{port}" });
        var queued = await KonuiMcp.CreateKontaskAsync(konui, new() { ["title"] = "Queued when Konui stopped", ["status"] = "ready" });
        // Longer than a Redis command waits for a connection (5 s): Konui goes on without Redis.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Null(konui.ExitCode);
        await konui.StopAsync();
        var appended = "appended-while-stopped-" + Guid.NewGuid().ToString("N")[..8];
        KontaskFile.AppendLine(konui.KontasksFile, KontaskJson.SerializeLine(new Kontask
        {
            Id = appended,
            Title = "Appended while Konui was stopped",
            CreatedAt = DateTimeOffset.UtcNow,
        }));

        await using var redis = await RedisServer.StartAsync(port);
        await konui.StartAgainAsync();

        var feed = await WaitForFeedAsync(redis, appended);
        Assert.True(feed.IndexOf(queued, StringComparison.Ordinal) >= 0 && feed.IndexOf(queued, StringComparison.Ordinal) < feed.IndexOf(appended, StringComparison.Ordinal),
            $"The queued kontask is missing or out of order: {feed}");
        Assert.Equal("2", (await redis.CommandAsync("XLEN", "konui:kontasks")).Trim());
    }

    private static async Task<string> WaitForFeedAsync(RedisServer redis, string id)
    {
        var feed = "";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!feed.Contains(id, StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"Kontask {id} did not reach Redis's feed in 30 s: {feed}");
            await Task.Delay(100);
            feed = await redis.CommandAsync("XRANGE", "konui:kontasks", "-", "+");
        }
        return feed;
    }
}
