using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

/// <summary>How konsole points the real CLI at Konui's /mcp: the access token stays out of its reach, and the CLI's calls say which session they serve.</summary>
public sealed class ClaudeMcpConfigTests
{
    private const string CreateTask = "mcp__konui__konui_create_task";

    /// <summary>
    /// A session whose CLI offers Konui's tools. The CLI connects to its MCP servers in the background and offers
    /// their tools once connected (before, a call gets "The MCP server 'konui' is still connecting"); on a loaded
    /// machine that can take longer than a turn, so this runs short turns until the model is offered the tools.
    /// </summary>
    private static async Task<string> SessionOfferingKonuiToolsAsync(KonuiWithClaude rig)
    {
        rig.Model.SetScript(_ => ModelReply.Text("Ready."));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string? sessionId = null;
        while (true)
        {
            var asked = rig.Model.Requests.Count;
            var (turn, events) = await rig.RunAsync("Are Konui's tools there?", sessionId);
            Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
            sessionId = turn.SessionId;
            if (rig.Model.Requests.Skip(asked).Any(r => r.OffersTool(CreateTask))) return sessionId;
            Assert.True(DateTime.UtcNow < deadline, "The CLI never offered Konui's tools: " + string.Join('\n', rig.Konui.Output.TakeLast(40)));
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Only_the_mcp_token_reaches_the_cli_in_its_environment_never_the_access_token_nor_in_its_command_line_or_a_file()
    {
        var token = "konui-token-" + Guid.NewGuid().ToString("N");
        await using var rig = await KonuiWithClaude.StartAsync(accessToken: token);
        var session = await SessionOfferingKonuiToolsAsync(rig);
        rig.Model.SetScript(request => request.HasToolResult
            ? ModelReply.Text("The card is there.")
            : ModelReply.ToolUse(CreateTask, new JsonObject
            {
                ["title"] = "Made with the token",
                ["requestId"] = KonuiWithClaude.RequestIdIn(request),
            }));

        var (turn, events) = await rig.RunAsync("Make a card", session);

        var end = Assert.IsType<TurnEnd>(events[^1]);
        Assert.True(end.Success, end.Error);
        var toolResult = Assert.Single(rig.Model.Requests, r => r.HasToolResult).ToolResult!;
        Assert.False(toolResult.IsError, toolResult.Content);
        Assert.Contains(File.ReadAllLines(rig.Konui.KontasksFile), l => l.Contains("Made with the token", StringComparison.Ordinal));

        var pid = KonuiWithClaude.ClaudeProcessOf(turn.SessionId) ?? throw new InvalidOperationException("the session's claude is not running");
        var commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');
        Assert.Contains("--mcp-config", commandLine, StringComparison.Ordinal);
        Assert.Contains("Bearer ${KONUI_MCP_TOKEN}", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(token, commandLine, StringComparison.Ordinal);
        var environ = File.GetUnixFileMode($"/proc/{pid}/environ");
        Assert.Equal(UnixFileMode.None, environ & (UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        var variables = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
        Assert.Contains($"KONUI_MCP_TOKEN={McpToken.From(token)}", variables);
        Assert.DoesNotContain(variables, v => v.Contains(token, StringComparison.Ordinal));
        foreach (var folder in new[] { rig.Konui.Root, rig.Home })
        {
            var holding = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(file => new FileInfo(file).Length < 16 * 1024 * 1024 && File.ReadAllText(file).Contains(token, StringComparison.Ordinal));
            Assert.Empty(holding);
        }
        Assert.DoesNotContain(rig.Konui.Output, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_kontask_made_during_a_turn_carries_that_turns_requestId_whatever_the_model_passed()
    {
        await using var rig = await KonuiWithClaude.StartAsync();
        var session = await SessionOfferingKonuiToolsAsync(rig);
        rig.Model.SetScript(request => request.HasToolResult
            ? ModelReply.Text("Done.")
            : ModelReply.ToolUse(CreateTask, request.LastUserText.Contains("first", StringComparison.Ordinal)
                ? new JsonObject { ["title"] = "Made without a requestId" }
                : new JsonObject
                {
                    ["title"] = "Made with a garbled requestId",
                    ["requestId"] = "req-garbled",
                    ["context"] = new JsonObject { ["requestId"] = "req-also-wrong", ["output"] = "<p>ok</p>" },
                }));

        var (first, firstEvents) = await rig.RunAsync("first card", session);
        var (second, secondEvents) = await rig.RunAsync("second card", session);

        Assert.True(Assert.IsType<TurnEnd>(firstEvents[^1]).Success);
        Assert.True(Assert.IsType<TurnEnd>(secondEvents[^1]).Success);
        Assert.All(rig.Model.Requests.Where(r => r.HasToolResult), r => Assert.False(r.ToolResult!.IsError, r.ToolResult.Content));
        var stored = File.ReadAllLines(rig.Konui.KontasksFile).Select(line => KontaskJson.Deserialize(line)!)
            .GroupBy(k => k.Id).Select(lines => lines.Last()).ToList();
        var missing = Assert.Single(stored, k => k.Title == "Made without a requestId");
        Assert.Equal(first.RequestId, missing.RequestId);
        var garbled = Assert.Single(stored, k => k.Title == "Made with a garbled requestId");
        Assert.Equal(second.RequestId, garbled.RequestId);
        Assert.Equal(second.RequestId, garbled.Context!.RequestId);
        Assert.NotEqual(first.RequestId, second.RequestId);
    }

    [Fact]
    public async Task The_cli_waits_for_konuis_tools_before_its_first_model_request_when_mcp_is_slow_to_answer()
    {
        await using var konui = await KonuiProcess.StartAsync();
        await using var slowMcp = await SlowProxy.StartAsync(konui.BaseUrl, initializeDelay: TimeSpan.FromSeconds(3));
        await using var model = await ScriptedModelApi.StartAsync(_ => ModelReply.Text("Hello."));
        var home = Directory.CreateTempSubdirectory("konsole-home-").FullName;
        try
        {
            var options = new KonsoleOptions { KonuiMcpUrl = slowMcp.BaseUrl + "/mcp", Model = "claude-test" };
            var start = Konui.Testing.ClaudeCli.CreateStartInfo(Konui.Testing.ClaudeCli.Locate(RepoRoot.Find()),
                ClaudeCommandLine.Arguments(options, Guid.NewGuid().ToString(), resume: false, new SessionLaunch(null, null, null)), Konui.Testing.ClaudeCli.OfflineEnvironment(model.BaseUrl, home), home);
            using var claude = Process.Start(start) ?? throw new InvalidOperationException("claude did not start");
            try
            {
                await claude.StandardInput.WriteLineAsync(ClaudeCommandLine.UserMessage("req-slow-mcp", "Say hello", []));
                await claude.StandardInput.FlushAsync();

                var first = await model.WaitForRequestAsync(r => r.LastUserText.Contains("Say hello", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

                Assert.True(slowMcp.InitializeAnswered, "the model was asked before Konui's MCP endpoint answered initialize");
                Assert.True(first.OffersTool(CreateTask), "the first model request lacks Konui's tools: " + string.Join(", ", first.ToolNames));
            }
            finally
            {
                claude.Kill(entireProcessTree: true);
                await claude.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Passes requests on to Konui, answering an MCP initialize only after a delay, as a busy Konui would.</summary>
    private sealed class SlowProxy : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _konui;
        private readonly TimeSpan _initializeDelay;
        private volatile bool _initializeAnswered;

        private SlowProxy(WebApplication app, string konuiUrl, TimeSpan initializeDelay)
        {
            _app = app;
            _konui = new HttpClient { BaseAddress = new Uri(konuiUrl), Timeout = Timeout.InfiniteTimeSpan };
            _initializeDelay = initializeDelay;
        }

        public required string BaseUrl { get; init; }

        public bool InitializeAnswered => _initializeAnswered;

        public static async Task<SlowProxy> StartAsync(string konuiUrl, TimeSpan initializeDelay)
        {
            SlowProxy? proxy = null;
            var (app, baseUrl) = await LoopbackServer.StartAsync(http => proxy!.ForwardAsync(http));
            proxy = new SlowProxy(app, konuiUrl, initializeDelay) { BaseUrl = baseUrl };
            return proxy;
        }

        private async Task ForwardAsync(HttpContext http)
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var isInitialize = Encoding.UTF8.GetString(body.ToArray()).Contains("\"method\":\"initialize\"", StringComparison.Ordinal);
            if (isInitialize) await Task.Delay(_initializeDelay);
            using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), http.Request.Path + http.Request.QueryString);
            if (body.Length > 0)
            {
                request.Content = new ByteArrayContent(body.ToArray());
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(http.Request.ContentType ?? "application/json");
            }
            foreach (var (name, values) in http.Request.Headers)
            {
                if (name is "Host" or "Content-Type" or "Content-Length") continue;
                request.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
            using var response = await _konui.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
            http.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (name is "Transfer-Encoding") continue;
                http.Response.Headers[name] = values.ToArray();
            }
            await using var stream = await response.Content.ReadAsStreamAsync(http.RequestAborted);
            await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
            if (isInitialize) _initializeAnswered = true;
        }

        public async ValueTask DisposeAsync()
        {
            _konui.Dispose();
            await _app.DisposeAsync();
        }
    }
}
