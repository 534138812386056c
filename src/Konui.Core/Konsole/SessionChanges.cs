namespace Konui.Core.Konsole;

/// <summary>
/// GET /api/konsole/sessions/{id}/changes: the files changed, added, deleted and untracked against HEAD in the git
/// repository the session's folder is in, each with its diff (paths relative to <see cref="Repository"/>). When the
/// folder is in no repository, <see cref="Repository"/> is null and <see cref="Note"/> says so. Bounded: at most
/// <see cref="MaxFiles"/> files, and diffs only up to a size; what is left out is counted and noted.
/// </summary>
public sealed record SessionChanges(
    string SessionId,
    string Folder,
    string? Repository,
    IReadOnlyList<ChangedFile> Files,
    int OmittedFiles = 0,
    string? Note = null)
{
    public const int MaxFiles = 300;
}
