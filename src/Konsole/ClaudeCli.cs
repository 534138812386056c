using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Konui.Core.Konsole;

namespace Konsole;

/// <summary>The Claude Code CLI konsole runs: where it is, and its version, checked once and again when it went missing.</summary>
public sealed class ClaudeCli(KonsoleOptions options)
{
    private const string PackageName = "@anthropic-ai/claude-code";

    public const string NotFoundMessage =
        "Claude Code CLI not found: install it with npm i -g @anthropic-ai/claude-code or set Konsole:ClaudePath";

    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private ClaudeCliStatus? _status;

    public string Path { get; } = Resolve(options.ClaudePath);

    /// <summary>The CLIs konsole runs, on record under its data folder.</summary>
    internal RunningClis Running { get; } = new(System.IO.Path.GetFullPath(System.IO.Path.Combine(options.DataDir, "cli")));

    public ClaudeCliStatus Status()
    {
        lock (_gate)
        {
            if (_status is { Found: true }) return _status;
        }
        var status = Check();
        lock (_gate) _status = status;
        return status;
    }

    internal void MarkMissing(string why)
    {
        lock (_gate) _status = new ClaudeCliStatus(Path, false, null, $"{NotFoundMessage} ({why})");
    }

    private ClaudeCliStatus Check()
    {
        if (NpmPackageVersion(Path) is { } installed) return new ClaudeCliStatus(Path, true, $"{installed} (Claude Code)", null);
        try
        {
            var start = new ProcessStartInfo(Path, "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            ClaudeCommandLine.RemoveKonuiSettings(start.Environment);
            foreach (var (key, value) in options.Environment) start.Environment[key] = value;
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            // The whole answer has the same 15 s: the reads finish on the thread pool, which a busy machine can keep
            // waiting well after the CLI exited.
            if (!process.WaitForExit(VersionTimeout) || !Task.WaitAll([output, errors], Remaining(clock)))
            {
                process.Kill(entireProcessTree: true);
                return new ClaudeCliStatus(Path, true, null, "claude --version did not answer within 15 s");
            }
            return process.ExitCode == 0
                ? new ClaudeCliStatus(Path, true, output.Result.Trim(), null)
                : new ClaudeCliStatus(Path, true, null, $"claude --version exited with {process.ExitCode}: {errors.Result.Trim()}");
        }
        catch (Win32Exception ex)
        {
            return new ClaudeCliStatus(Path, false, null, $"{NotFoundMessage} ({ex.Message})");
        }
    }

    private static TimeSpan Remaining(Stopwatch clock) =>
        clock.Elapsed < VersionTimeout ? VersionTimeout - clock.Elapsed : TimeSpan.Zero;

    /// <summary>
    /// The version of a CLI installed from npm, read from the package it belongs to (the file a link such as
    /// node_modules/.bin/claude leads to lies in it): asking the CLI itself starts it, which takes a third of a second
    /// of CPU when Konui starts and its first pages need it. Null when the CLI is not in the npm package, or is a file
    /// that may not be run (then running it says why).
    /// </summary>
    private static string? NpmPackageVersion(string path)
    {
        if (!System.IO.Path.IsPathFullyQualified(path) || !File.Exists(path)) return null;
        try
        {
            var file = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            {
                return null;
            }
            for (var folder = System.IO.Path.GetDirectoryName(file); folder is not null; folder = System.IO.Path.GetDirectoryName(folder))
            {
                var manifest = System.IO.Path.Combine(folder, "package.json");
                if (!File.Exists(manifest)) continue;
                using var package = JsonDocument.Parse(File.ReadAllBytes(manifest));
                var root = package.RootElement;
                return root.TryGetProperty("name", out var name) && name.ValueEquals(PackageName)
                    && root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
                    ? version.GetString()
                    : null;
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A bare name is looked up on PATH (so errors name the real file); a path is taken as it is.</summary>
    private static string Resolve(string configured)
    {
        if (configured.Contains('/', StringComparison.Ordinal)) return System.IO.Path.GetFullPath(configured);
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, configured))
            .FirstOrDefault(File.Exists);
        return found ?? configured;
    }
}
