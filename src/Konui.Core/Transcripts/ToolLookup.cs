namespace Konui.Core.Transcripts;

/// <summary>
/// A Read, Grep, Glob, WebFetch or WebSearch as one line: what it looked at (<see cref="Subject"/>: the file, the
/// pattern, the URL, the query), where or how (<see cref="Scope"/>: a folder, lines, the question asked of a page), and
/// what it found (<see cref="Found"/>: "3 files", "21 lines", "HTTP 404 Not Found"), once it has.
/// </summary>
public sealed record ToolLookup(string Subject, string? Scope, string? Found) : ToolReview;
