using Konui.Core.Konsole;

namespace Konsole;

/// <summary>
/// Completes file paths inside a session's folder, never outside it: the prefix's folder must resolve (links
/// followed) into the session's folder, and the search below it does not follow links. .git and node_modules are
/// left out. Bounded: <see cref="MaxResults"/> paths, <see cref="MaxVisited"/> entries looked at.
/// </summary>
internal static class FolderFiles
{
    public const int MaxResults = 50;
    public const int MaxVisited = 20_000;
    public const int MaxPrefixLength = 1024;

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { ".git", "node_modules" };

    private static readonly EnumerationOptions Entries = new() { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.System };

    /// <summary>The completions of <paramref name="prefix"/> in <paramref name="folder"/>, or why there are none.</summary>
    public static (FileCompletions? Files, string? Error) Complete(string folder, string? prefix)
    {
        prefix ??= "";
        if (prefix.Length > MaxPrefixLength) return (null, $"The prefix is {prefix.Length} characters long; give at most {MaxPrefixLength}.");
        if (prefix.StartsWith('/')) return (null, "The prefix must be a path inside the session's folder, relative to it, not an absolute path.");
        if (RealPath.Of(folder, out var whyNot) is not { } root || !Directory.Exists(root)) return (null, $"The session's folder {folder} cannot be read: {whyNot ?? "it is not a folder"}.");
        var cut = prefix.LastIndexOf('/');
        var parent = cut < 0 ? "" : prefix[..(cut + 1)];
        var start = cut < 0 ? prefix : prefix[(cut + 1)..];
        if (parent.Split('/').Any(Ignored.Contains)) return (new FileCompletions(folder, prefix, [], false), null);
        var directory = parent.Length == 0 ? root : RealPath.Of(Path.Combine(root, parent), out _);
        if (directory is null || !Directory.Exists(directory)) return (new FileCompletions(folder, prefix, [], false), null);
        if (!RealPath.IsWithin(directory, root)) return (null, $"{parent} leads outside the session's folder {folder}.");

        var found = new List<FileCompletion>();
        var more = false;
        var visited = 0;
        foreach (var entry in Children(directory).Where(e => e.Name.StartsWith(start, StringComparison.OrdinalIgnoreCase)))
        {
            if (found.Count == MaxResults)
            {
                more = true;
                break;
            }
            found.Add(Completion(parent + entry.Name, entry));
        }
        // A bare name also finds what is deeper down: "@Program" completes to src/App/Program.cs.
        if (cut < 0 && start.Length > 0 && !more)
        {
            var queue = new Queue<(string Path, string Relative)>(Children(root).Where(IsFolderToSearch).Select(d => (d.FullName, d.Name + "/")));
            while (queue.TryDequeue(out var next) && !more)
            {
                foreach (var entry in Children(next.Path))
                {
                    if (++visited > MaxVisited)
                    {
                        more = true;
                        break;
                    }
                    if (IsFolderToSearch(entry)) queue.Enqueue((entry.FullName, next.Relative + entry.Name + "/"));
                    if (!entry.Name.StartsWith(start, StringComparison.OrdinalIgnoreCase)) continue;
                    if (found.Count == MaxResults)
                    {
                        more = true;
                        break;
                    }
                    found.Add(Completion(next.Relative + entry.Name, entry));
                }
            }
        }
        return (new FileCompletions(folder, prefix, found, more), null);
    }

    private static FileCompletion Completion(string path, FileSystemInfo entry) =>
        entry is DirectoryInfo ? new FileCompletion(path + "/", true) : new FileCompletion(path, false);

    /// <summary>A folder's entries, folders first, each by name; .git and node_modules left out.</summary>
    private static List<FileSystemInfo> Children(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).EnumerateFileSystemInfos("*", Entries)
                .Where(e => !Ignored.Contains(e.Name))
                .OrderBy(e => e is DirectoryInfo ? 0 : 1).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The search goes into folders, not through links (which may lead anywhere).</summary>
    private static bool IsFolderToSearch(FileSystemInfo entry) => entry is DirectoryInfo && entry.LinkTarget is null;
}
