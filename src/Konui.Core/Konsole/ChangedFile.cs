using Konui.Core.Transcripts;

namespace Konui.Core.Konsole;

/// <summary>
/// A file that differs from HEAD: how (<see cref="Change"/>) and its diff, which is null when there is none to show
/// (a binary file, a mode change, a diff over the size limit: <see cref="Note"/> says which).
/// </summary>
public sealed record ChangedFile(string Path, FileChangeKind Change, FileDiff? Diff, string? Note = null);

public enum FileChangeKind
{
    Modified,
    Added,
    Deleted,
    Untracked,
    TypeChanged,
}
