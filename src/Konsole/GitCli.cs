using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Konsole;

/// <summary>
/// Runs the git CLI for konsole, read-only: arguments one by one (never through a shell), no pager, no prompt, no
/// optional locks, and none of what a repository's own config could make git run (an external diff, a textconv
/// filter, an fsmonitor hook). Its output is read up to a limit (then git is stopped), within a time limit.
/// </summary>
internal static class GitCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private static readonly string[] Safe =
    [
        "-c", "core.fsmonitor=false",
        "-c", "core.quotepath=off",
        "-c", "diff.external=",
        "-c", "color.ui=false",
        "--no-pager",
    ];

    /// <summary>What git printed (stdout up to the limit; <see cref="GitOutput.Truncated"/> when it had more) and its exit code (-1: git did not run or took too long).</summary>
    public static async Task<GitOutput> RunAsync(string folder, IReadOnlyList<string> arguments, int maxBytes, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in Safe.Concat(arguments)) start.ArgumentList.Add(argument);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            return new GitOutput(-1, "", false, $"git could not be run: {ex.Message}");
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Limit);
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            var output = new MemoryStream();
            var truncated = false;
            try
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    var keep = Math.Min(read, maxBytes - (int)output.Length);
                    output.Write(buffer, 0, keep);
                    if (keep < read)
                    {
                        truncated = true;
                        break;
                    }
                }
                if (truncated) process.Kill();
                await process.WaitForExitAsync(timeout.Token);
                return new GitOutput(truncated ? 0 : process.ExitCode, Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length), truncated,
                    truncated ? "" : await errors);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return new GitOutput(-1, "", false, $"git took longer than {Limit.TotalSeconds:F0} s");
            }
        }
    }
}
