using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core.Kontasks;
using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests;

/// <summary>The real Claude Code CLI, driven by a scripted model, makes a kontask through Konui's /mcp endpoint.</summary>
public sealed class ClaudeCliMcpTests(KonuiFixture konui) : IClassFixture<KonuiFixture>
{
    private const string CreateTaskTool = "mcp__konui__konui_create_task";
    private static readonly TimeSpan CliLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Claude_makes_a_card_over_mcp_and_it_shows_up_on_the_open_kontasks_page()
    {
        var requestId = "req-e2e-" + Guid.NewGuid().ToString("N")[..12];
        var title = "Disk usage report " + requestId[^6..];
        await using var model = await ScriptedModelApi.StartAsync(request => request.HasToolResult
            ? ModelReply.Text("The card is on your dashboard.")
            : ModelReply.ToolUse(CreateTaskTool, new JsonObject
            {
                ["title"] = title,
                ["description"] = "The data folder uses 2.1 GB",
                ["requestId"] = requestId,
                ["context"] = new JsonObject { ["output"] = "<p>The <code>data/</code> folder uses <strong>2.1 GB</strong>; logs are 1.8 GB of it.</p>" },
            }, leadingText: "I'll put this on a card."));
        await konui.Browser.OpenAsync(konui.App.BaseUrl + KontasksPage.Path);
        KontasksPage.WatchForRow(konui.Browser, title);

        var run = await RunClaudeAsync(model, "make a card");

        var result = run.Lines.LastOrDefault(l => (string?)l["type"] == "result")
            ?? throw new Xunit.Sdk.XunitException($"The CLI printed no result line. {run}");
        Assert.False((bool)result["is_error"]!, $"The CLI's turn failed. {run}");
        Assert.Equal("success", (string?)result["subtype"]);
        Assert.Equal("The card is on your dashboard.", (string?)result["result"]);
        var toolResult = Assert.Single(model.Requests, r => r.HasToolResult).ToolResult!;
        Assert.False(toolResult.IsError, $"The model got a tool error: {toolResult.Content}");
        Assert.Contains("\"success\":true", toolResult.Content, StringComparison.Ordinal);

        var stored = Assert.Single(File.ReadAllLines(konui.App.KontasksFile)
            .Select(line => KontaskJson.Deserialize(line)!), k => k.RequestId == requestId);
        Assert.Equal(title, stored.Title);
        Assert.Equal("claude-code", stored.CreatedBy);
        Assert.Equal(stored.Id, await KontasksPage.WaitForRowAsync(konui.Browser, title, TimeSpan.FromSeconds(10)));
        Assert.True(KontasksPage.IsSameDocument(konui.Browser), "The page was reloaded to show the card.");
        Assert.Equal("The data folder uses 2.1 GB", konui.Browser.Driver.FindElement(By.CssSelector($"[data-kontask-id='{stored.Id}'] .kontask-row-desc")).Text);
    }

    private async Task<CliRun> RunClaudeAsync(ScriptedModelApi model, string prompt)
    {
        var home = Directory.CreateTempSubdirectory("konui-claude-home-");
        try
        {
            var mcpConfig = new JsonObject
            {
                ["mcpServers"] = new JsonObject { ["konui"] = new JsonObject { ["type"] = "http", ["url"] = konui.App.BaseUrl + "/mcp" } },
            }.ToJsonString();
            var start = ClaudeCli.CreateStartInfo(
                ClaudeCli.Locate(RepoRoot.Find()),
                ["-p", prompt, "--output-format", "stream-json", "--verbose", "--model", "claude-test",
                 "--mcp-config", mcpConfig, "--strict-mcp-config", "--allowedTools", CreateTaskTool],
                ClaudeCli.OfflineEnvironment(model.BaseUrl, home.FullName),
                home.FullName);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("claude did not start");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(CliLimit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"claude did not finish within {CliLimit.TotalSeconds} s. Model requests: {string.Join(" | ", model.Requests)}");
            }
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonNode.Parse(line) as JsonObject)
                .OfType<JsonObject>()
                .ToList();
            return new CliRun(process.ExitCode, lines, await stderr, model.Requests.Select(r => r.ToString()).ToList());
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private sealed record CliRun(int ExitCode, IReadOnlyList<JsonObject> Lines, string Stderr, IReadOnlyList<string> ModelRequests)
    {
        public override string ToString() =>
            $"Exit code {ExitCode}. stdout:\n{string.Join('\n', Lines.Select(l => l.ToJsonString()))}\nstderr:\n{Stderr}\nModel requests: {string.Join(" | ", ModelRequests)}";
    }
}
