using System.Net;
using System.Text.RegularExpressions;
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
    public async Task A_replica_whose_Redis_is_not_there_answers_as_soon_as_a_Konui_without_Redis_says_so_and_sends_a_kontask_made_once_Redis_came()
    {
        var port = FreePort.Next();
        using var replicaRoot = new ScratchFolder("konui-redis-away");
        using var aloneRoot = new ScratchFolder("konui-alone");
        // The same Konui without Redis, launched at the same moment, shows how long a start takes on this machine now.
        await using var replica = KonuiProcess.Launch(KonuiProcess.Konui, replicaRoot.Path, new Dictionary<string, string>
        {
            // Whoever waits for the client's connect attempt waits this long (the default is 5 s).
            ["Konui__Redis"] = $"127.0.0.1:{port},connectTimeout=30000",
            ["Konui__ReplicaName"] = "solo",
        });
        await using var alone = KonuiProcess.Launch(KonuiProcess.Konui, aloneRoot.Path, new Dictionary<string, string>());
        using var http = replica.NewHttpClient();
        using var aloneHttp = alone.NewHttpClient();

        var firstPages = await Task.WhenAll(FirstPageAsync(replica, http), FirstPageAsync(alone, aloneHttp));
        var (replicaAfter, aloneAfter) = (firstPages[0], firstPages[1]);
        // Before, a Redis that refused made the start wait out the client's connect timeout before anything answered.
        Assert.True(replicaAfter < aloneAfter + TimeSpan.FromSeconds(2),
            $"The replica's first page took {replicaAfter.TotalMilliseconds:0} ms from its launch, a Konui without Redis's {aloneAfter.TotalMilliseconds:0} ms.");
        Assert.StartsWith("Redis unreachable since", await RedisStatusAsync(http), StringComparison.Ordinal);

        await using var redis = await RedisServer.StartAsync(port);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await RedisStatusAsync(http) is var status && status != "replica solo")
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"The status bar still says \"{status}\" 30 s after Redis started.");
            await Task.Delay(100);
        }
        var made = await KonuiMcp.CreateKontaskAsync(replica, new() { ["title"] = "Made once Redis came", ["status"] = "ready" });
        await WaitForFeedAsync(redis, made);
    }

    [Fact]
    public async Task Kontasks_queued_for_an_absent_Redis_and_appended_while_Konui_was_stopped_go_to_Redis_when_it_starts_again()
    {
        var port = FreePort.Next();
        await using var konui = await KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konui__Redis"] = $"127.0.0.1:{port}" });
        var queued = await KonuiMcp.CreateKontaskAsync(konui, new() { ["title"] = "Queued when Konui stopped", ["status"] = "ready" });
        // Several attempts to connect fail meanwhile (one a second): Konui goes on without Redis.
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

    /// <summary>Asks for the Dashboard until it answers (200); returns the time from the program's launch to then.</summary>
    private static async Task<TimeSpan> FirstPageAsync(KonuiProcess konui, HttpClient http)
    {
        while (true)
        {
            Assert.True(konui.SinceStart < TimeSpan.FromSeconds(60), $"Konui did not answer within 60 s:\n{string.Join('\n', konui.Output)}");
            Assert.Null(konui.ExitCode);
            try
            {
                using var page = await http.GetAsync("/");
                if (page.StatusCode == HttpStatusCode.OK)
                {
                    var answeredAfter = konui.SinceStart;
                    // What answered was this Konui (not another program that took the port meanwhile).
                    await konui.WaitUntilListeningAsync();
                    return answeredAfter;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(20);
        }
    }

    /// <summary>What the Dashboard's status bar says about Redis, as the page's first paint (its prerendered HTML) shows it.</summary>
    private static async Task<string> RedisStatusAsync(HttpClient http)
    {
        using var page = await http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var status = Regex.Match(html, "<span class=\"status-redis[^>]*>(.*?)</span>", RegexOptions.Singleline);
        Assert.True(status.Success, $"The Dashboard has no Redis status in its status bar: {html}");
        return WebUtility.HtmlDecode(Regex.Replace(status.Groups[1].Value, "<[^>]+>", "")).Trim();
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
