using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

public sealed class MissingCliTests
{
    [Fact]
    public async Task Without_the_cli_a_turn_fails_at_once_with_how_to_install_it_and_status_says_so()
    {
        await using var rig = await KonuiWithClaude.StartAsync(claudePath: "/nonexistent/bin/claude");

        var started = DateTimeOffset.UtcNow;
        var (_, events) = await rig.RunAsync("Hello?");

        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.IsType<TurnStart>(events[0]);
        var end = Assert.IsType<TurnEnd>(Assert.Single(events, e => e.IsTerminal));
        Assert.False(end.Success);
        Assert.StartsWith("Claude Code CLI not found: install it with npm i -g @anthropic-ai/claude-code or set Konsole:ClaudePath", end.Error, StringComparison.Ordinal);
        var status = await rig.Konsole.GetStatusAsync();
        Assert.False(status.Cli.Found);
        Assert.Equal("/nonexistent/bin/claude", status.Cli.Path);
        Assert.StartsWith("Claude Code CLI not found", status.Cli.Error, StringComparison.Ordinal);
        Assert.Empty(rig.Model.Requests);
    }
}
