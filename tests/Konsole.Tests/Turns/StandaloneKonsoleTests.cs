using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

public sealed class StandaloneKonsoleTests
{
    [Fact]
    public async Task A_standalone_konsole_runs_turns_whose_kontasks_land_in_the_konui_that_points_at_it()
    {
        await using var model = await ScriptedModelApi.StartAsync(request => request.HasToolResult
            ? ModelReply.Text("Done.")
            : ModelReply.ToolUse("mcp__konui__konui_create_task", new JsonObject
            {
                ["title"] = "Made by a standalone konsole",
                ["requestId"] = "not-the-turns",
            }));
        var konsolePort = FreePort.Next();
        await using var konui = await KonuiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Konsole__Url"] = $"http://127.0.0.1:{konsolePort}",
            ["Konsole__AccessToken"] = "konsole-secret",
        });
        using var folder = new ScratchFolder("konsole-home");
        var home = folder.Path;
        var settings = Konui.Testing.ClaudeCli.KonsoleSettings(model.BaseUrl, home, home);
        settings["Konsole__KonuiMcpUrl"] = konui.BaseUrl + "/mcp";
        settings["Konsole__AccessToken"] = "konsole-secret";
        await using var konsole = await KonuiProcess.StartKonsoleAsync(settings, konsolePort);
        using var http = new HttpClient { BaseAddress = new Uri(konsole.BaseUrl + "/") };

        using (var anonymous = await http.GetAsync("api/konsole/status")) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var fromAPage = new HttpRequestMessage(HttpMethod.Post, "api/konsole/turns") { Content = new StringContent("{\"prompt\":\"rm -rf\"}", System.Text.Encoding.UTF8, "text/plain") })
        {
            fromAPage.Headers.Add("Origin", "https://attacker.example");
            using var refused = await http.SendAsync(fromAPage);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var plainText = await http.PostAsync("api/konsole/turns", new StringContent("{\"prompt\":\"hi\"}", System.Text.Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, plainText.StatusCode);
        }
        using (var notHere = await new HttpClient().GetAsync(konui.BaseUrl + "/api/konsole/status")) Assert.Equal(HttpStatusCode.NotFound, notHere.StatusCode);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "konsole-secret");
        var client = new KonsoleClient(http);
        Assert.True((await client.GetStatusAsync()).Cli.Found);
        var turn = await client.StartTurnAsync(new TurnRequest("Make a card"));
        var events = new List<TurnEvent>();
        await foreach (var e in client.ReadEventsAsync(turn.TurnId)) events.Add(e);

        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success, Assert.IsType<TurnEnd>(events[^1]).Error);
        // The model passed a wrong requestId: Konui asked the standalone konsole which turn the calling CLI's session runs.
        Assert.Contains(File.ReadAllLines(konui.KontasksFile), l => l.Contains("Made by a standalone konsole", StringComparison.Ordinal)
            && l.Contains(turn.RequestId, StringComparison.Ordinal) && !l.Contains("not-the-turns", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(konsole.DataDir, "turns", turn.TurnId + ".jsonl")));
    }

    [Fact]
    public async Task Killing_a_standalone_konsole_mid_turn_takes_its_cli_with_it()
    {
        await using var model = await ScriptedModelApi.StartAsync(request => request.LastUserText.Contains("slowly", StringComparison.Ordinal)
            ? ModelReply.Text(string.Join(' ', Enumerable.Range(1, 300)), chunks: 300, delayBetweenChunks: TimeSpan.FromMilliseconds(200))
            : ModelReply.Text("Still here."));
        using var folder = new ScratchFolder("konsole-home");
        var home = folder.Path;
        var settings = Konui.Testing.ClaudeCli.KonsoleSettings(model.BaseUrl, home, home);
        await using var konsole = await KonuiProcess.StartKonsoleAsync(settings);
        using var http = new HttpClient { BaseAddress = new Uri(konsole.BaseUrl + "/") };
        var client = new KonsoleClient(http);
        var turn = await client.StartTurnAsync(new TurnRequest("Count slowly"));
        await foreach (var e in client.ReadEventsAsync(turn.TurnId))
        {
            if (e is TextDelta) break;
        }
        Assert.Single(KonuiWithClaude.ClaudeProcessesOf(turn.SessionId));

        await konsole.KillAsync();

        Assert.True(await KonuiWithClaude.NoClaudeProcessWithinAsync(turn.SessionId, TimeSpan.FromSeconds(10)),
            "the CLI outlived the standalone konsole that ran it (kill -9 mid-turn)");
        await konsole.StartAgainAsync();
        var next = await client.StartTurnAsync(new TurnRequest("Hello again", turn.SessionId));
        var events = new List<TurnEvent>();
        await foreach (var e in client.ReadEventsAsync(next.TurnId)) events.Add(e);
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success, Assert.IsType<TurnEnd>(events[^1]).Error);
        Assert.Single(KonuiWithClaude.ClaudeProcessesOf(turn.SessionId));
    }
}
