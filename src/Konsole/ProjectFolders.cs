using Konui.Core.Konsole;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// Konsole:Projects: the root folders a new session may be started in (relative ones from konsole's folder). A folder
/// asked for must resolve, symbolic links followed, to one of the roots or a folder inside one: a path that leaves a
/// root through '..' or a link is refused, and so is a missing one. With no roots, no folder may be chosen and
/// sessions run where Konsole:WorkingDirectory says.
/// </summary>
public sealed class ProjectFolders(KonsoleOptions options, ILogger<ProjectFolders> logger)
{
    public const int MaxListed = 200;
    public const int MaxPathLength = 4096;
    private const int Depth = 2;

    private static readonly EnumerationOptions Children = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden | FileAttributes.System,
    };

    public bool Configured => options.Projects.Count > 0;

    /// <summary>The roots as real paths; a configured root that does not resolve is left out (and logged).</summary>
    public IReadOnlyList<string> Roots
    {
        get
        {
            var roots = new List<string>();
            foreach (var configured in options.Projects.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                if (RealPath.Of(Path.GetFullPath(configured), out var whyNot) is { } real && Directory.Exists(real)) roots.Add(real);
                else logger.LogWarning("Project folder {Root} in Konsole:Projects is left out: {Reason}", configured, whyNot ?? "it is not a folder");
            }
            return roots.Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The real folder a new session may run in for <paramref name="requested"/>, or why it may not.</summary>
    public (string? Folder, string? Error) Check(string requested)
    {
        if (!Configured)
        {
            return (null, "Projects are not configured: Konsole:Projects lists the folders sessions may run in. Without it every session runs in "
                + (options.WorkingDirectory ?? "konsole's folder") + "; send no workingDirectory.");
        }
        if (requested.Length is 0 or > MaxPathLength || !Path.IsPathFullyQualified(requested))
        {
            return (null, $"workingDirectory must be an absolute path of at most {MaxPathLength} characters, not '{Shorten(requested)}'.");
        }
        var roots = Roots;
        var real = RealPath.Of(requested, out var whyNot);
        if (real is null) return (null, $"There is no folder {requested}: {whyNot}.");
        if (!Directory.Exists(real)) return (null, $"{requested} is a file, not a folder.");
        if (roots.Any(root => RealPath.IsWithin(real, root))) return (real, null);
        var list = roots.Count == 0 ? "none of the configured ones exists" : string.Join(", ", roots);
        var lexical = Path.GetFullPath(requested);
        if (roots.FirstOrDefault(root => RealPath.IsWithin(lexical, root)) is { } linked)
        {
            return (null, $"{requested} leads out of the project folder {linked} through a symbolic link (it is {real}); a session may only run inside a project folder.");
        }
        if (requested.Split('/').Contains("..") && roots.FirstOrDefault(root => requested.StartsWith(root + "/", StringComparison.Ordinal)) is { } climbed)
        {
            return (null, $"{requested} leaves the project folder {climbed} through '..' (it is {real}); a session may only run inside a project folder.");
        }
        return (null, $"{requested} is outside the project folders ({list}); a session may only run inside one of them.");
    }

    /// <summary>
    /// The folders to offer for a new session, matching <paramref name="filter"/> (part of the path, any case): the
    /// <paramref name="recent"/> ones (folders sessions ran in, newest first) that are still inside a root, then the
    /// roots and the folders under them, two levels deep (not into a git repository, not hidden ones); at most
    /// <see cref="MaxListed"/>.
    /// </summary>
    public ProjectList List(string? filter, IEnumerable<(string Folder, DateTimeOffset LastUsed)> recent)
    {
        var roots = Roots;
        if (roots.Count == 0) return new ProjectList([], []);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var folders = new List<ProjectFolder>();
        bool Matches(string path) => string.IsNullOrWhiteSpace(filter) || path.Contains(filter.Trim(), StringComparison.OrdinalIgnoreCase);
        void Offer(string path, DateTimeOffset? lastUsed)
        {
            if (folders.Count < MaxListed && Matches(path) && seen.Add(path)) folders.Add(new ProjectFolder(path, Path.GetFileName(path), IsGitRepository(path), lastUsed));
        }
        foreach (var (folder, lastUsed) in recent.OrderByDescending(r => r.LastUsed))
        {
            if (RealPath.Of(folder, out _) is { } real && Directory.Exists(real) && roots.Any(root => RealPath.IsWithin(real, root))) Offer(real, lastUsed);
        }
        foreach (var root in roots) Walk(root, 0, path => Offer(path, null));
        return new ProjectList(roots, folders);
    }

    private static void Walk(string folder, int depth, Action<string> offer)
    {
        offer(folder);
        if (depth == Depth || IsGitRepository(folder)) return;
        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateDirectories(folder, "*", Children).Where(c => !Path.GetFileName(c).StartsWith('.') && Path.GetFileName(c) != "node_modules")
                .Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var child in children) Walk(child, depth + 1, offer);
    }

    /// <summary>A folder with a .git folder (or a worktree's .git file) is a git repository's top.</summary>
    public static bool IsGitRepository(string folder) =>
        Directory.Exists(Path.Combine(folder, ".git")) || File.Exists(Path.Combine(folder, ".git"));

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
