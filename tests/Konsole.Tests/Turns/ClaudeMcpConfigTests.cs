using System.Text.Json.Nodes;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

/// <summary>How konsole points the real CLI at Konui's /mcp: the access token stays out of sight.</summary>
public sealed class ClaudeMcpConfigTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_access_token_reaches_the_cli_without_being_in_its_command_line_or_a_file()
    {
        var token = "konui-token-" + Guid.NewGuid().ToString("N");
        await using var rig = await KonuiWithClaude.StartAsync(accessToken: token);
        rig.Model.SetScript(request => request.HasToolResult
            ? ModelReply.Text("The card is there.")
            : ModelReply.ToolUse("mcp__konui__konui_create_task", new JsonObject
            {
                ["title"] = "Made with the token",
                ["requestId"] = KonuiWithClaude.RequestIdIn(request),
            }));

        var (turn, events) = await rig.RunAsync("Make a card");

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
        foreach (var folder in new[] { rig.Konui.Root, rig.Home })
        {
            var holding = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(file => new FileInfo(file).Length < 16 * 1024 * 1024 && File.ReadAllText(file).Contains(token, StringComparison.Ordinal));
            Assert.Empty(holding);
        }
        Assert.DoesNotContain(rig.Konui.Output, l => l.Contains(token, StringComparison.Ordinal));
    }
}
