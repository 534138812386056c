using Konui.Core.Kontasks;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Replicas;

/// <summary>The kontask feed: a kontask that lands on one replica shows live on the other's Kontasks page, once.</summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaKontaskTests(ReplicasFixture replicas)
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private Browser Browser => replicas.Browser;

    [Fact]
    public async Task A_kontask_made_through_As_mcp_shows_live_on_a_Kontasks_page_served_by_B_and_is_in_each_file_once()
    {
        await replicas.SignInAsync(replicas.B);
        await Browser.OpenAsync(replicas.B.Konui.BaseUrl + KontasksPage.Path);
        var title = "Release notes drafted " + Guid.NewGuid().ToString("N")[..8];
        KontasksPage.WatchForRow(Browser, title);

        var id = await KonuiMcp.CreateKontaskAsync(replicas.A.Konui, new()
        {
            ["title"] = title,
            ["description"] = "Made on replica A",
            ["status"] = "ready",
        }, ReplicasFixture.Token);
        var returnedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(id, await KontasksPage.WaitForRowAsync(Browser, title, WaitLimit));
        var latency = KontasksPage.RowSeenAt(Browser, title)!.Value - returnedAt;
        Assert.True(latency < 1000, $"The card took {latency} ms to show on B's page after A's konui_create_task returned.");
        Assert.True(KontasksPage.IsSameDocument(Browser), "B's page was reloaded to show the card.");

        // Each store has it once; nothing echoed back to A.
        await Task.Delay(TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, LinesWith(replicas.B.Konui.KontasksFile, id));
        Assert.Equal(1, LinesWith(replicas.A.Konui.KontasksFile, id));
    }

    [Fact]
    public async Task A_kontask_another_process_appends_to_Bs_kontasks_jsonl_reaches_As_open_page()
    {
        await replicas.SignInAsync(replicas.A);
        await Browser.OpenAsync(replicas.A.Konui.BaseUrl + KontasksPage.Path);
        var id = "written-on-b-" + Guid.NewGuid().ToString("N")[..8];
        var title = "Nightly backup on B finished " + id[^8..];
        KontasksPage.WatchForRow(Browser, title);

        KontaskFile.AppendLine(replicas.B.Konui.KontasksFile, KontaskJson.SerializeLine(new Kontask
        {
            Id = id,
            Title = title,
            Status = "completed",
            CreatedBy = "backup-script",
            CreatedAt = DateTimeOffset.UtcNow,
        }));

        Assert.Equal(id, await KontasksPage.WaitForRowAsync(Browser, title, WaitLimit));
        Assert.Equal(1, LinesWith(replicas.A.Konui.KontasksFile, id));
    }

    [Fact]
    public async Task A_kontask_made_on_A_and_changed_on_B_shows_the_change_live_on_As_page_with_no_echo()
    {
        var id = await KonuiMcp.CreateKontaskAsync(replicas.A.Konui, new() { ["title"] = "Migrate the schema", ["status"] = "in_progress" }, ReplicasFixture.Token);
        await WaitForLineAsync(replicas.B.Konui.KontasksFile, id);
        await replicas.SignInAsync(replicas.A);
        await Browser.OpenAsync(replicas.A.Konui.BaseUrl + KontasksPage.Path);
        var changed = "Schema migrated " + id[^6..];
        KontasksPage.WatchForRow(Browser, changed);

        await using (var client = await KonuiMcp.ConnectAsync(replicas.B.Konui, ReplicasFixture.Token))
        {
            var result = await client.CallToolAsync("konui_update_task", new Dictionary<string, object?> { ["id"] = id, ["title"] = changed, ["status"] = "completed" });
            Assert.False(result.IsError == true, "konui_update_task failed on B.");
        }

        Assert.Equal(id, await KontasksPage.WaitForRowAsync(Browser, changed, WaitLimit));
        Assert.True(KontasksPage.IsSameDocument(Browser), "A's page was reloaded to show the change.");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, LinesWith(replicas.A.Konui.KontasksFile, id));
        Assert.Equal(2, LinesWith(replicas.B.Konui.KontasksFile, id));
    }

    [Fact]
    public async Task Kontasks_made_on_A_while_B_was_stopped_reach_B_when_it_starts_again_from_its_offset_once()
    {
        var before = await KonuiMcp.CreateKontaskAsync(replicas.A.Konui, new() { ["title"] = "Before B stops", ["status"] = "ready" }, ReplicasFixture.Token);
        await WaitForLineAsync(replicas.B.Konui.KontasksFile, before);
        var offset = Path.Combine(replicas.B.Konui.DataDir, "redis-kontask-feed.offset");
        Assert.True(File.Exists(offset), "B keeps no offset in its data folder.");

        await replicas.B.Konui.StopAsync();
        var made = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            made.Add(await KonuiMcp.CreateKontaskAsync(replicas.A.Konui, new() { ["title"] = $"While B was stopped {i}", ["status"] = "ready" }, ReplicasFixture.Token));
        }
        await replicas.B.Konui.StartAgainAsync();

        foreach (var id in made) await WaitForLineAsync(replicas.B.Konui.KontasksFile, id);
        var lines = File.ReadAllLines(replicas.B.Konui.KontasksFile);
        Assert.Equal(made, lines.Select(line => made.FirstOrDefault(id => line.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal))).OfType<string>());
        Assert.Equal(1, LinesWith(replicas.B.Konui.KontasksFile, before));
    }

    private static async Task WaitForLineAsync(string file, string id)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(file) || LinesWith(file, id) == 0)
        {
            Assert.True(waited.Elapsed < WaitLimit, $"Kontask {id} did not reach {file} in {WaitLimit.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    private static int LinesWith(string file, string id) => File.ReadLines(file).Count(line => line.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal));
}
