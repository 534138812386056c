using System.Text;
using Konui.Core.Konsole;
using Konui.Core.Transcripts;

namespace Konsole;

/// <summary>
/// What differs from HEAD in the git repository a session's folder is in, read with the git CLI (viewing only):
/// tracked files changed, added or deleted (<c>git diff HEAD</c>, staged and unstaged together) and untracked ones not
/// ignored, each with its diff. Bounded: at most <see cref="SessionChanges.MaxFiles"/> files, about
/// <see cref="MaxDiffBytes"/> of diff in all (one file's at most <see cref="MaxFileDiffBytes"/> once that is reached),
/// an untracked file shown up to <see cref="MaxUntrackedBytes"/>.
/// </summary>
internal static class WorkingTreeChanges
{
    public const int MaxDiffBytes = 2 * 1024 * 1024;
    public const int MaxUntrackedBytes = 256 * 1024;
    public const int MaxFileDiffBytes = 512 * 1024;
    private const int MaxListBytes = 1024 * 1024;
    private const string OverLimit = "diff not shown: the changes are over 2 MB in all";

    public static async Task<SessionChanges> ReadAsync(string sessionId, string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder)) return new SessionChanges(sessionId, folder, null, [], Note: $"The session's folder {folder} no longer exists.");
        var top = await GitCli.RunAsync(folder, ["rev-parse", "--show-toplevel"], 64 * 1024, cancellationToken);
        if (!top.Succeeded)
        {
            var why = top.Stderr.Contains("not a git repository", StringComparison.Ordinal) ? "it is not in a git repository" : top.Stderr.Trim();
            return new SessionChanges(sessionId, folder, null, [], Note: $"No changes to show for {folder}: {why}.");
        }
        var repository = top.Stdout.TrimEnd('\n');
        var head = await GitCli.RunAsync(repository, ["rev-parse", "--verify", "--quiet", "HEAD"], 4096, cancellationToken);
        var against = head.Succeeded ? "HEAD" : (await GitCli.RunAsync(repository, ["hash-object", "-t", "tree", "/dev/null"], 4096, cancellationToken)).Stdout.Trim();
        var tracked = await GitCli.RunAsync(repository, ["diff", against, "--name-status", "-z", "--no-renames", "--"], MaxListBytes, cancellationToken);
        var untracked = await GitCli.RunAsync(repository, ["ls-files", "--others", "--exclude-standard", "-z", "--"], MaxListBytes, cancellationToken);
        if (!tracked.Succeeded || !untracked.Succeeded)
        {
            return new SessionChanges(sessionId, folder, repository, [], Note: $"git could not list the changes: {(tracked.Stderr + untracked.Stderr).Trim()}");
        }

        var listed = Statuses(tracked.Stdout, tracked.Truncated).Concat(Items(untracked.Stdout).Select(p => (Path: p, Change: FileChangeKind.Untracked)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var omitted = Math.Max(0, listed.Count - SessionChanges.MaxFiles);
        var shown = listed.Take(SessionChanges.MaxFiles).ToList();
        var tooBig = new HashSet<string>(StringComparer.Ordinal);
        var diffs = await TrackedDiffsAsync(repository, against, shown.Where(f => f.Change != FileChangeKind.Untracked).Select(f => f.Path).ToList(), tooBig, cancellationToken);
        var budget = MaxDiffBytes - diffs.Values.Sum(d => d.Length);
        var files = new List<ChangedFile>();
        foreach (var (path, change) in shown)
        {
            if (change == FileChangeKind.Untracked)
            {
                var (file, used) = Untracked(repository, path, budget);
                budget -= used;
                files.Add(file);
            }
            else if (tooBig.Contains(path)) files.Add(new ChangedFile(path, change, null, $"diff not shown: over {MaxFileDiffBytes / 1024} KB"));
            else files.Add(Tracked(path, change, diffs.GetValueOrDefault(path)));
        }
        var note = omitted > 0 || tracked.Truncated || untracked.Truncated
            ? $"More files changed than are shown here: the first {SessionChanges.MaxFiles} by path."
            : null;
        return new SessionChanges(sessionId, folder, repository, files, omitted, note);
    }

    /// <summary>
    /// The per-file chunks of the tracked files' diff, by path: one <c>git diff</c> for all; when that is over the size
    /// limit, the files it did not reach each get their own, up to <see cref="MaxFileDiffBytes"/> (a file over that is
    /// in <paramref name="tooBig"/>), until the limit is spent again; those left are missing.
    /// </summary>
    private static async Task<Dictionary<string, string>> TrackedDiffsAsync(string repository, string against, List<string> paths, HashSet<string> tooBig,
        CancellationToken cancellationToken)
    {
        var chunks = new Dictionary<string, string>(StringComparer.Ordinal);
        if (paths.Count == 0) return chunks;
        var diff = await GitCli.RunAsync(repository, Diff(against, paths), MaxDiffBytes, cancellationToken);
        if (!diff.Succeeded) return chunks;
        Split(diff, paths, chunks);
        var budget = MaxDiffBytes;
        foreach (var path in diff.Truncated ? paths.Where(p => !chunks.ContainsKey(p)).ToList() : [])
        {
            if (budget <= 0) break;
            var one = await GitCli.RunAsync(repository, Diff(against, [path]), Math.Min(MaxFileDiffBytes, budget), cancellationToken);
            budget -= one.Stdout.Length;
            if (one.Truncated) tooBig.Add(path);
            else if (one.Succeeded) Split(one, [path], chunks);
        }
        return chunks;
    }

    private static List<string> Diff(string against, IEnumerable<string> paths) =>
        ["diff", against, "--no-ext-diff", "--no-textconv", "--no-renames", "-U3", "--", .. paths.Select(Literal)];

    /// <summary>Cuts a diff into its files' chunks; a chunk cut at the size limit is left out.</summary>
    private static void Split(GitOutput diff, List<string> paths, Dictionary<string, string> chunks)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        foreach (var line in (diff.Stdout.EndsWith('\n') ? diff.Stdout[..^1] : diff.Stdout).Split('\n'))
        {
            // A hunk's lines start with ' ', '+', '-' or '\', so a line starting "diff --git " is the next file's header.
            if (line.StartsWith("diff --git ", StringComparison.Ordinal) && current.Length > 0)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            current.Append(line).Append('\n');
        }
        if (current.Length > 0 && !diff.Truncated) parts.Add(current.ToString());
        // git prints the files sorted by path; a header it had to quote (an odd character in the path) is matched by that order.
        var sorted = paths.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < parts.Count; i++)
        {
            if ((HeaderPath(parts[i]) ?? (i < sorted.Count ? sorted[i] : null)) is { } path) chunks[path] = parts[i];
        }
    }

    /// <summary>The path in a chunk's "diff --git a/PATH b/PATH" header (the same path twice: no renames), when git did not quote it.</summary>
    private static string? HeaderPath(string chunk)
    {
        var header = chunk[..Math.Max(0, chunk.IndexOf('\n', StringComparison.Ordinal))];
        if (!header.StartsWith("diff --git a/", StringComparison.Ordinal)) return null;
        var rest = header["diff --git ".Length..];
        if ((rest.Length - 5) % 2 != 0) return null;
        var path = rest.Substring(2, (rest.Length - 5) / 2);
        return rest == $"a/{path} b/{path}" ? path : null;
    }

    private static ChangedFile Tracked(string path, FileChangeKind change, string? chunk)
    {
        if (chunk is null) return new ChangedFile(path, change, null, OverLimit);
        if (chunk.Split('\n').Any(l => l.StartsWith("Binary files ", StringComparison.Ordinal))) return new ChangedFile(path, change, null, "binary file");
        var diff = FileDiff.FromUnified(path, chunk, isNewFile: change == FileChangeKind.Added);
        return diff.Hunks.Count == 0
            ? new ChangedFile(path, change, null, change == FileChangeKind.TypeChanged ? "its type changed" : "no change to its text (its mode changed)")
            : new ChangedFile(path, change, diff);
    }

    /// <summary>An untracked file as all added: its text up to the limit; a binary file, a link or a big one only named.</summary>
    private static (ChangedFile File, int Used) Untracked(string repository, string path, int budget)
    {
        var full = Path.Combine(repository, path);
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is { } target) return (new ChangedFile(path, FileChangeKind.Untracked, FileDiff.Between(path, "", target + "\n", isNewFile: true), "symbolic link"), target.Length);
            if (!info.Exists) return (new ChangedFile(path, FileChangeKind.Untracked, null, "not a regular file"), 0);
            if (info.Length > MaxUntrackedBytes) return (new ChangedFile(path, FileChangeKind.Untracked, null, $"diff not shown: {info.Length / 1024} KB, over the {MaxUntrackedBytes / 1024} KB shown for a new file"), 0);
            if (info.Length > budget) return (new ChangedFile(path, FileChangeKind.Untracked, null, OverLimit), 0);
            var bytes = File.ReadAllBytes(full);
            if (Array.IndexOf(bytes, (byte)0) >= 0) return (new ChangedFile(path, FileChangeKind.Untracked, null, "binary file"), 0);
            return (new ChangedFile(path, FileChangeKind.Untracked, FileDiff.Between(path, "", Encoding.UTF8.GetString(bytes), isNewFile: true)), bytes.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (new ChangedFile(path, FileChangeKind.Untracked, null, $"could not be read: {ex.Message}"), 0);
        }
    }

    /// <summary><c>--name-status -z</c>: a status letter, then the path, each ended by NUL; a list cut at the size limit loses its last, partial pair.</summary>
    private static IEnumerable<(string Path, FileChangeKind Change)> Statuses(string output, bool truncated)
    {
        var items = output.Split('\0');
        for (var i = 0; i + 1 < items.Length - (truncated ? 1 : 0); i += 2)
        {
            if (items[i].Length == 0) continue;
            yield return (items[i + 1], items[i][0] switch
            {
                'A' => FileChangeKind.Added,
                'D' => FileChangeKind.Deleted,
                'T' => FileChangeKind.TypeChanged,
                _ => FileChangeKind.Modified,
            });
        }
    }

    /// <summary>NUL-ended paths: what follows the last NUL is nothing, or a path cut at the size limit; either way not a path.</summary>
    private static IEnumerable<string> Items(string output) => output.Split('\0').SkipLast(1).Where(i => i.Length > 0);

    /// <summary>A path git takes as it is, never as a pattern (a file may be named "*.txt").</summary>
    private static string Literal(string path) => ":(literal)" + path;
}
