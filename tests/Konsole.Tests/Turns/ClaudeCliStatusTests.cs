using Konui.Testing;

namespace Konsole.Tests.Turns;

/// <summary>What konsole says of the CLI it runs: found or not, and its version.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClaudeCliStatusTests : IDisposable
{
    private readonly ScratchFolder _folder = new("konsole-cli-status");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_cli_installed_from_npm_has_the_version_of_its_package_and_is_not_run_to_ask_it()
    {
        var package = Path.Combine(_folder.Path, "node_modules", "@anthropic-ai", "claude-code");
        var marker = Path.Combine(_folder.Path, "ran");
        await WriteCliAsync(Path.Combine(package, "bin", "claude.exe"), marker, "9.9.9 (Claude Code)");
        await File.WriteAllTextAsync(Path.Combine(package, "package.json"), """{"name":"@anthropic-ai/claude-code","version":"2.1.197","bin":{"claude":"bin/claude.exe"}}""");
        var bin = Directory.CreateDirectory(Path.Combine(_folder.Path, "node_modules", ".bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "claude"), "../@anthropic-ai/claude-code/bin/claude.exe");

        var status = new ClaudeCli(new KonsoleOptions { ClaudePath = Path.Combine(bin, "claude"), DataDir = _folder.Path }).Status();

        Assert.True(status.Found);
        Assert.Equal("2.1.197 (Claude Code)", status.Version);
        Assert.Null(status.Error);
        Assert.False(File.Exists(marker), "the CLI was started to ask its version");
    }

    [Fact]
    public async Task A_cli_outside_an_npm_package_is_asked_its_version()
    {
        var marker = Path.Combine(_folder.Path, "ran");
        var claude = Path.Combine(_folder.Path, "versions", "claude");
        await WriteCliAsync(claude, marker, "9.9.9 (Claude Code)");
        await File.WriteAllTextAsync(Path.Combine(_folder.Path, "package.json"), """{"name":"someone-elses-project","version":"1.0.0"}""");

        var status = new ClaudeCli(new KonsoleOptions { ClaudePath = claude, DataDir = _folder.Path }).Status();

        Assert.True(status.Found);
        Assert.Equal("9.9.9 (Claude Code)", status.Version);
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task An_answer_that_is_read_out_well_after_the_cli_exited_still_gives_its_version()
    {
        // A child of the CLI keeps its output open for two seconds after the CLI exits: the answer is complete only
        // then, as it is when a busy machine's thread pool finishes reading it late.
        var claude = Path.Combine(_folder.Path, "versions", "claude");
        Directory.CreateDirectory(Path.GetDirectoryName(claude)!);
        await File.WriteAllTextAsync(claude, "#!/bin/sh\n(sleep 2; echo '9.9.9 (Claude Code)') &\nexit 0\n");
        File.SetUnixFileMode(claude, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var status = new ClaudeCli(new KonsoleOptions { ClaudePath = claude, DataDir = _folder.Path }).Status();

        Assert.True(status.Found, status.Error);
        Assert.Equal("9.9.9 (Claude Code)", status.Version);
        Assert.Null(status.Error);
    }

    [Fact]
    public async Task A_cli_in_an_npm_package_that_may_not_be_run_is_not_found_and_says_why()
    {
        var package = Path.Combine(_folder.Path, "node_modules", "@anthropic-ai", "claude-code");
        var claude = Path.Combine(package, "bin", "claude.exe");
        await WriteCliAsync(claude, Path.Combine(_folder.Path, "ran"), "9.9.9 (Claude Code)");
        File.SetUnixFileMode(claude, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(Path.Combine(package, "package.json"), """{"name":"@anthropic-ai/claude-code","version":"2.1.197","bin":{"claude":"bin/claude.exe"}}""");

        var status = new ClaudeCli(new KonsoleOptions { ClaudePath = claude, DataDir = _folder.Path }).Status();

        Assert.False(status.Found);
        Assert.Contains("Permission denied", status.Error, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A stand-in CLI that notes each run in <paramref name="marker"/> and answers --version.</summary>
    private static async Task WriteCliAsync(string path, string marker, string version)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, $"#!/bin/sh\necho ran >> '{marker}'\necho '{version}'\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
