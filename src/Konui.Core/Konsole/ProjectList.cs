namespace Konui.Core.Konsole;

/// <summary>
/// GET /api/konsole/projects: the project folders a new session may run in (<see cref="Roots"/>, from
/// Konsole:Projects; none: sessions run in konsole's folder and no other may be chosen), and the candidate folders:
/// those recent sessions ran in first, newest first, then the folders under the roots, two levels deep.
/// </summary>
public sealed record ProjectList(IReadOnlyList<string> Roots, IReadOnlyList<ProjectFolder> Folders)
{
    public bool Configured => Roots.Count > 0;
}

/// <summary>A folder a session may run in: its real path, its name, whether it is a git repository, and when a session last ran there (recent ones only).</summary>
public sealed record ProjectFolder(string Path, string Name, bool IsGitRepository, DateTimeOffset? LastUsed = null)
{
    public bool IsRecent => LastUsed is not null;
}
