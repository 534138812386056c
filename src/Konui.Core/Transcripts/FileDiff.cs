using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DiffPlex;
using DiffPlex.Chunkers;
using static Konui.Core.Turns.JsonFields;

namespace Konui.Core.Transcripts;

/// <summary>
/// A change to one file as a unified diff: hunks of lines, each added, removed or unchanged, with their numbers in the
/// old and the new file. Made from what Claude Code reports of an edit it made (its structuredPatch, or the file before
/// and after), from a tool's input alone (what an Edit or Write is about to do, for its approval card), or from git.
/// At most <see cref="MaxLines"/> lines are kept; the counts cover every line.
/// </summary>
public sealed class FileDiff
{
    public const int MaxLines = 2000;
    private const int ContextLines = 3;

    /// <summary>For JSON (konsole's changes API); the factories below make diffs.</summary>
    [JsonConstructor]
    public FileDiff(string? path, IReadOnlyList<DiffHunk> hunks, int addedCount, int removedCount, int omittedLines, bool isNewFile, bool hasFileLineNumbers)
    {
        Path = path;
        Hunks = hunks;
        AddedCount = addedCount;
        RemovedCount = removedCount;
        OmittedLines = omittedLines;
        IsNewFile = isNewFile;
        HasFileLineNumbers = hasFileLineNumbers;
    }

    /// <summary>The file, as the tool or git names it.</summary>
    public string? Path { get; }

    public IReadOnlyList<DiffHunk> Hunks { get; }

    public int AddedCount { get; }

    public int RemovedCount { get; }

    /// <summary>The lines in <see cref="Hunks"/>: what a view draws (and folds when it is long).</summary>
    public int LineCount => Hunks.Sum(h => h.Lines.Count);

    /// <summary>Lines of the change beyond <see cref="MaxLines"/>, not kept.</summary>
    public int OmittedLines { get; }

    public bool IsTruncated => OmittedLines > 0;

    /// <summary>The file did not exist before.</summary>
    public bool IsNewFile { get; }

    /// <summary>
    /// Whether the line numbers are the file's. An Edit's input alone has only the replaced text, so its numbers count
    /// from the start of that text.
    /// </summary>
    public bool HasFileLineNumbers { get; }

    public bool HasChanges => AddedCount + RemovedCount > 0;

    /// <summary>
    /// The diff of a file tool's call (Write, Edit, MultiEdit): from Claude Code's report of what it did
    /// (<paramref name="toolUseResult"/>: its structuredPatch, or the file before and after) when there is one, else from
    /// the input. Null for other tools, or an input that names no change.
    /// </summary>
    public static FileDiff? OfToolCall(string toolName, JsonElement? input, JsonElement? toolUseResult)
    {
        if (toolUseResult is { ValueKind: JsonValueKind.Object } done && toolName is "Write" or "Edit" or "MultiEdit")
        {
            var path = Str(done, "filePath") ?? (input is { } given ? Str(given, "file_path") : null);
            if (Node(done, "structuredPatch") is { ValueKind: JsonValueKind.Array } patch && patch.GetArrayLength() > 0) return FromStructuredPatch(path, patch);
            if (toolName == "Write" && Str(done, "type") == "create" && input is { } write && Str(write, "content") is { } created)
            {
                return Between(path, "", created, isNewFile: true);
            }
            if (Str(done, "originalFile") is { } before && (Str(done, "content") ?? (input is { } i ? Str(i, "content") : null)) is { } after)
            {
                return Between(path, before, after);
            }
        }
        return OfToolInput(toolName, input);
    }

    /// <summary>
    /// What a file tool is about to do, from its input alone: a Write's content (every line added), an Edit's
    /// old_string replaced by new_string, a MultiEdit's edits one hunk each. Null for other tools.
    /// </summary>
    public static FileDiff? OfToolInput(string toolName, JsonElement? input)
    {
        if (input is not { ValueKind: JsonValueKind.Object } given) return null;
        var path = Str(given, "file_path");
        switch (toolName)
        {
            case "Write" when Str(given, "content") is { } content:
                return Between(path, "", content);
            case "Edit" when Str(given, "old_string") is { } oldText && Str(given, "new_string") is { } newText:
                return Snippets(path, [(oldText, newText)]);
            case "MultiEdit":
                var edits = Items(given, "edits")
                    .Select(e => (Old: Str(e, "old_string"), New: Str(e, "new_string")))
                    .Where(e => e.Old is not null && e.New is not null)
                    .Select(e => (e.Old!, e.New!))
                    .ToList();
                return edits.Count > 0 ? Snippets(path, edits) : null;
            default:
                return null;
        }
    }

    /// <summary>The line diff of two texts, with three unchanged lines around each change (DiffPlex).</summary>
    public static FileDiff Between(string? path, string oldText, string newText, bool isNewFile = false)
    {
        var collector = new Collector();
        collector.AddBetween(oldText, newText, oldOffset: 0, newOffset: 0);
        return collector.Build(path, isNewFile, hasFileLineNumbers: true);
    }

    /// <summary>Claude Code's structuredPatch: <c>[{oldStart, oldLines, newStart, newLines, lines: [" same", "-old", "+new"]}]</c>.</summary>
    public static FileDiff FromStructuredPatch(string? path, JsonElement patch)
    {
        var collector = new Collector();
        foreach (var hunk in Items(patch))
        {
            collector.StartHunk(Int(hunk, "oldStart") ?? 1, Int(hunk, "oldLines") ?? 0, Int(hunk, "newStart") ?? 1, Int(hunk, "newLines") ?? 0);
            foreach (var line in Items(hunk, "lines").Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()!)) collector.AddMarked(line);
        }
        return collector.Build(path, isNewFile: false, hasFileLineNumbers: true);
    }

    /// <summary>
    /// A unified diff's hunks (as git prints them): each <c>@@ -a,b +c,d @@</c> header starts one, and the lines after it
    /// are marked ' ', '-' or '+'; what comes before the first header (diff, index, ---, +++ lines) is skipped.
    /// </summary>
    public static FileDiff FromUnified(string? path, string unified, bool isNewFile = false)
    {
        var collector = new Collector();
        var inHunk = false;
        foreach (var line in SplitLines(unified))
        {
            if (line.StartsWith("@@ ", StringComparison.Ordinal) && HunkHeader(line) is { } header)
            {
                collector.StartHunk(header.OldStart, header.OldLines, header.NewStart, header.NewLines);
                inHunk = true;
            }
            else if (inHunk) collector.AddMarked(line);
        }
        return collector.Build(path, isNewFile, hasFileLineNumbers: true);
    }

    /// <summary>The diff as unified diff text, as <c>git apply</c> reads it.</summary>
    public string ToUnified()
    {
        var text = new StringBuilder();
        text.Append(IsNewFile ? "--- /dev/null" : "--- a/" + Path).Append('\n').Append("+++ b/" + Path).Append('\n');
        foreach (var hunk in Hunks)
        {
            text.Append(hunk.Header).Append('\n');
            foreach (var line in hunk.Lines)
            {
                text.Append(line.Kind switch { DiffLineKind.Added => '+', DiffLineKind.Removed => '-', _ => ' ' }).Append(line.Text).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Replaced snippets without their file: each its own hunk, numbered from the snippet's first line.</summary>
    private static FileDiff Snippets(string? path, IReadOnlyList<(string Old, string New)> edits)
    {
        var collector = new Collector();
        foreach (var (oldText, newText) in edits) collector.AddBetween(oldText, newText, 0, 0);
        return collector.Build(path, isNewFile: false, hasFileLineNumbers: false);
    }

    /// <summary>A text's lines, without their line ends; a final line end does not start one more line.</summary>
    public static string[] SplitLines(string text)
    {
        if (text.Length == 0) return [];
        var lines = text.Split('\n');
        if (text.EndsWith('\n')) lines = lines[..^1];
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].EndsWith('\r')) lines[i] = lines[i][..^1];
        }
        return lines;
    }

    private static (int OldStart, int OldLines, int NewStart, int NewLines)? HunkHeader(string line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, @"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@");
        if (!match.Success) return null;
        static int Number(System.Text.RegularExpressions.Group group, int otherwise) =>
            group.Success && int.TryParse(group.Value, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : otherwise;
        return (Number(match.Groups[1], 1), Number(match.Groups[2], 1), Number(match.Groups[3], 1), Number(match.Groups[4], 1));
    }

    /// <summary>Gathers hunks line by line, keeping at most <see cref="MaxLines"/> and counting all.</summary>
    private sealed class Collector
    {
        private readonly List<(int OldStart, int OldLines, int NewStart, int NewLines, List<DiffLine> Lines)> _hunks = [];
        private int _old;
        private int _new;
        private int _kept;
        private int _added;
        private int _removed;
        private int _omitted;

        public void StartHunk(int oldStart, int oldLines, int newStart, int newLines)
        {
            _hunks.Add((oldStart, oldLines, newStart, newLines, []));
            // An empty side starts at the line before it (0 for an empty file).
            _old = oldLines == 0 ? oldStart + 1 : oldStart;
            _new = newLines == 0 ? newStart + 1 : newStart;
        }

        /// <summary>A line of a unified diff: ' ' unchanged, '-' removed, '+' added; "\ No newline at end of file" is not a line.</summary>
        public void AddMarked(string line)
        {
            if (line.Length == 0)
            {
                Add(DiffLineKind.Context, "");
                return;
            }
            switch (line[0])
            {
                case '+':
                    Add(DiffLineKind.Added, line[1..]);
                    break;
                case '-':
                    Add(DiffLineKind.Removed, line[1..]);
                    break;
                case ' ':
                    Add(DiffLineKind.Context, line[1..]);
                    break;
            }
        }

        public void Add(DiffLineKind kind, string text)
        {
            if (kind == DiffLineKind.Added) _added++;
            if (kind == DiffLineKind.Removed) _removed++;
            int? oldNumber = kind == DiffLineKind.Added ? null : _old++;
            int? newNumber = kind == DiffLineKind.Removed ? null : _new++;
            if (_hunks.Count == 0 || _kept >= MaxLines)
            {
                _omitted++;
                return;
            }
            _hunks[^1].Lines.Add(new DiffLine(kind, text, oldNumber, newNumber));
            _kept++;
        }

        /// <summary>The hunks of a line diff of two texts, numbered from the given offsets.</summary>
        public void AddBetween(string oldText, string newText, int oldOffset, int newOffset)
        {
            var oldLines = SplitLines(oldText);
            var newLines = SplitLines(newText);
            var diff = Differ.Instance.CreateDiffs(oldText, newText, false, false, new CustomFunctionChunker(SplitLines));
            var blocks = diff.DiffBlocks;
            var first = 0;
            while (first < blocks.Count)
            {
                // Blocks closer than twice the context share a hunk.
                var last = first;
                while (last + 1 < blocks.Count && blocks[last + 1].DeleteStartA - (blocks[last].DeleteStartA + blocks[last].DeleteCountA) <= 2 * ContextLines) last++;
                var oldStart = Math.Max(0, blocks[first].DeleteStartA - ContextLines);
                var newStart = oldStart + (blocks[first].InsertStartB - blocks[first].DeleteStartA);
                var oldEnd = Math.Min(oldLines.Length, blocks[last].DeleteStartA + blocks[last].DeleteCountA + ContextLines);
                var newEnd = oldEnd + (blocks[last].InsertStartB + blocks[last].InsertCountB) - (blocks[last].DeleteStartA + blocks[last].DeleteCountA);
                var oldCount = oldEnd - oldStart;
                var newCount = newEnd - newStart;
                StartHunk(oldOffset + (oldCount == 0 ? oldStart : oldStart + 1), oldCount, newOffset + (newCount == 0 ? newStart : newStart + 1), newCount);
                var i = oldStart;
                for (var b = first; b <= last; b++)
                {
                    var block = blocks[b];
                    for (; i < block.DeleteStartA; i++) Add(DiffLineKind.Context, oldLines[i]);
                    for (var d = 0; d < block.DeleteCountA; d++) Add(DiffLineKind.Removed, oldLines[block.DeleteStartA + d]);
                    for (var n = 0; n < block.InsertCountB; n++) Add(DiffLineKind.Added, newLines[block.InsertStartB + n]);
                    i = block.DeleteStartA + block.DeleteCountA;
                }
                for (; i < oldEnd; i++) Add(DiffLineKind.Context, oldLines[i]);
                first = last + 1;
            }
        }

        public FileDiff Build(string? path, bool isNewFile, bool hasFileLineNumbers) =>
            new(path,
                _hunks.Where(h => h.Lines.Count > 0).Select(h => new DiffHunk(h.OldStart, h.OldLines, h.NewStart, h.NewLines, h.Lines)).ToList(),
                _added, _removed, _omitted, isNewFile, hasFileLineNumbers);
    }
}
