namespace Konui.Core.Konsole;

/// <summary>
/// GET /api/konsole/sessions/{id}/files?prefix=: paths in the session's folder for an '@' the user is typing, relative
/// to <see cref="Folder"/> with '/' (a folder's ends with '/'; the prefix's folder part kept as typed): first what the prefix's folder holds that starts with
/// its last part, then, for a prefix without a folder, files and folders deeper down whose name starts with it.
/// <see cref="More"/> says there were more than were listed.
/// </summary>
public sealed record FileCompletions(string Folder, string Prefix, IReadOnlyList<FileCompletion> Files, bool More);

/// <summary>A path to complete to, relative to the session's folder; a folder's ends with '/'.</summary>
public sealed record FileCompletion(string Path, bool IsFolder);
