using Microsoft.Extensions.Logging.Abstractions;

namespace Konsole.Tests.Turns;

/// <summary>
/// A CLI's process object is disposed of by its output reader once the CLI has exited; whoever still holds it (a
/// shutdown, a stop, an idle close that raced the exit) finds a process that is gone, not an exception.
/// </summary>
public sealed class ClaudeProcessTests
{
    [Fact]
    public async Task A_cli_that_exited_and_was_disposed_of_reads_as_gone_to_everyone_still_holding_it()
    {
        var records = Path.Combine(Path.GetTempPath(), "konsole-clis-" + Guid.NewGuid().ToString("N"));
        var cli = ClaudeProcess.Start("/bin/sh", ["-c", "exit 143"], new Dictionary<string, string>(), Path.GetTempPath(), NullLogger.Instance, "session", new RunningClis(records));
        Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(143, cli.ExitCode);
        cli.Dispose();

        Assert.True(cli.HasExited);
        Assert.True(await cli.WaitForExitAsync(TimeSpan.FromSeconds(1)));
        cli.CloseInput(TimeSpan.FromSeconds(1));
        cli.Signal(ProcessSignals.SigTerm);
        cli.Kill();
        await Assert.ThrowsAsync<IOException>(() => cli.WriteLineAsync("{}"));
    }

    [Fact]
    public void The_cli_inherits_no_konui_konsole_or_kestrel_setting_however_it_is_spelled_and_keeps_everything_else()
    {
        var inherited = new Dictionary<string, string?>
        {
            ["Konui__AccessToken"] = "a",
            ["konsole__hosts__0__accesstoken"] = "b",
            ["Konsole:KonuiAccessToken"] = "c",
            ["ASPNETCORE_Konui__AccessToken"] = "d",
            ["DOTNET_KONSOLE__ACCESSTOKEN"] = "e",
            ["Kestrel__Certificates__Default__Password"] = "h",
            ["PATH"] = "/usr/bin",
            ["KONUI_MCP_TOKEN"] = "f",
            ["KonuiHome"] = "g",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };

        ClaudeCommandLine.RemoveKonuiSettings(inherited);

        Assert.Equal(["ASPNETCORE_ENVIRONMENT", "KONUI_MCP_TOKEN", "KonuiHome", "PATH"], inherited.Keys.Order(StringComparer.Ordinal));
    }
}
