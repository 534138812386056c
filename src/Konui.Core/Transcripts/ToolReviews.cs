using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Konui.Core.Turns.JsonFields;

namespace Konui.Core.Transcripts;

/// <summary>
/// Works out a tool call's <see cref="ToolReview"/> from its input (as allowed, when a decision changed it) and, once
/// it returned, its result text and Claude Code's tool_use_result. The shapes are those of the real CLI 2.1.197
/// (recordings in the tests' Fixtures/claude-cli/v2.1.197-review).
/// </summary>
internal static partial class ToolReviews
{
    public static readonly IReadOnlySet<string> ChecklistTools = new HashSet<string>(StringComparer.Ordinal) { "TaskCreate", "TaskUpdate", "TaskList", "TodoWrite" };

    public static ToolReview? For(ToolCall call)
    {
        var input = call.Decision?.Result?.UpdatedInput is { ValueKind: JsonValueKind.Object } updated ? updated : call.Input;
        var done = call.IsError ? null : call.ToolUseResult;
        return call.Name switch
        {
            "Write" or "Edit" or "MultiEdit" => FileDiff.OfToolCall(call.Name, input, done) is { } diff ? new FileEdit(diff) : null,
            "Bash" => Command(call, input),
            "TaskCreate" or "TaskUpdate" or "TaskList" or "TodoWrite" => Step(call.Name, input, done, call.Result),
            "Read" or "Grep" or "Glob" or "WebFetch" or "WebSearch" => Lookup(call.Name, input ?? default, done),
            _ => null,
        };
    }

    private static CommandRun? Command(ToolCall call, JsonElement? input)
    {
        if (input is not { } given || Str(given, "command") is not { } command) return null;
        var description = Str(given, "description");
        var background = Bool(given, "run_in_background");
        if (call.Result is not { } result) return new CommandRun(command, description, "", null, null, false, background);
        if (call.IsError)
        {
            var exit = ExitCodeLine().Match(result);
            return exit.Success
                ? new CommandRun(command, description, result[exit.Length..], null, int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture), false, background)
                : new CommandRun(command, description, result, null, null, false, background);
        }
        if (call.ToolUseResult is not { ValueKind: JsonValueKind.Object } done) return new CommandRun(command, description, result, null, background ? null : 0, false, background);
        var interrupted = Bool(done, "interrupted");
        var inBackground = background || Str(done, "backgroundTaskId") is not null;
        var stderr = Str(done, "stderr");
        return new CommandRun(command, description, Str(done, "stdout") ?? result, string.IsNullOrEmpty(stderr) ? null : stderr,
            interrupted || inBackground ? null : 0, interrupted, inBackground);
    }

    private static ChecklistStep? Step(string tool, JsonElement? input, JsonElement? done, string? result)
    {
        var given = input ?? default;
        switch (tool)
        {
            case "TaskCreate":
                var createdId = done is { } created && Node(created, "task") is { } task ? Str(task, "id") : null;
                createdId ??= result is not null && CreatedTask().Match(result) is { Success: true } match ? match.Groups[1].Value : null;
                return new ChecklistStep(ChecklistStepKind.Create, createdId, Str(given, "subject"), ChecklistStatus.Pending, [],
                    Str(given, "activeForm"), Str(given, "description"));
            case "TaskUpdate":
                var status = Str(given, "status");
                return new ChecklistStep(status == "deleted" ? ChecklistStepKind.Remove : ChecklistStepKind.Update, Str(given, "taskId"), Str(given, "subject"),
                    Status(status), [], Str(given, "activeForm"), Str(given, "description"));
            case "TaskList":
                return done is { } listed && Node(listed, "tasks") is { } tasks
                    ? new ChecklistStep(ChecklistStepKind.Replace, null, null, null, Items(tasks)
                        .Where(t => Str(t, "id") is not null)
                        .Select(t => new ChecklistItem(Str(t, "id")!, Str(t, "subject") ?? "", Status(Str(t, "status")) ?? ChecklistStatus.Pending, Str(t, "activeForm"), Str(t, "description")))
                        .ToList())
                    : null;
            default:
                var todos = Items(given, "todos").Where(t => Str(t, "content") is not null).ToList();
                return new ChecklistStep(ChecklistStepKind.Replace, null, null, null, todos
                    .Select((t, i) => new ChecklistItem(Str(t, "id") ?? (i + 1).ToString(CultureInfo.InvariantCulture), Str(t, "content")!,
                        Status(Str(t, "status")) ?? ChecklistStatus.Pending, Str(t, "activeForm")))
                    .ToList());
        }
    }

    private static ChecklistStatus? Status(string? status) => status switch
    {
        "pending" => ChecklistStatus.Pending,
        "in_progress" => ChecklistStatus.InProgress,
        "completed" => ChecklistStatus.Done,
        _ => null,
    };

    private static ToolLookup? Lookup(string tool, JsonElement input, JsonElement? done)
    {
        var result = done ?? default;
        switch (tool)
        {
            case "Read" when Str(input, "file_path") is { } file:
                var offset = Int(input, "offset");
                var limit = Int(input, "limit");
                var scope = (offset, limit) switch
                {
                    ({ } from, { } count) => $"lines {from}–{from + count - 1}",
                    ({ } from, null) => $"from line {from}",
                    (null, { } count) => $"first {count} lines",
                    _ => null,
                };
                var read = Node(result, "file") is { } content ? content : default;
                var found = (Int(read, "numLines"), Int(read, "startLine"), Int(read, "totalLines")) switch
                {
                    ({ } lines, { } start, { } total) when lines < total => $"lines {start}–{start + lines - 1} of {total}",
                    ({ } lines, _, _) => Count(lines, "line", "lines"),
                    _ => Str(result, "type") is { } kind and not "text" ? kind : null,
                };
                return new ToolLookup(file, scope, found);
            case "Grep" when Str(input, "pattern") is { } pattern:
                var where = string.Join(", ", new[] { Str(input, "path"), Str(input, "glob"), Str(input, "type") }.OfType<string>());
                var matches = Str(result, "mode") switch
                {
                    "content" => Int(result, "numLines") is { } lines ? Count(lines, "line", "lines") : null,
                    "count" => Int(result, "numMatches") is { } count ? Count(count, "match", "matches") : null,
                    _ => Int(result, "numFiles") is { } files ? Count(files, "file", "files") : null,
                };
                return new ToolLookup(pattern, where.Length > 0 ? where : null, matches);
            case "Glob" when Str(input, "pattern") is { } glob:
                var listed = Int(result, "numFiles") is { } numFiles ? Count(numFiles, "file", "files") + (Bool(result, "truncated") ? " (truncated)" : "") : null;
                return new ToolLookup(glob, Str(input, "path"), listed);
            case "WebFetch" when Str(input, "url") is { } url:
                var status = Int(result, "code") is { } code ? $"HTTP {code}{(Str(result, "codeText") is { } text ? " " + text : "")}" : null;
                return new ToolLookup(url, Str(input, "prompt"), status);
            case "WebSearch" when Str(input, "query") is { } query:
                var domains = Strings(input, "allowed_domains");
                var links = Items(result, "results").Sum(r => Items(r, "content").Count(c => Str(c, "url") is not null));
                return new ToolLookup(query, domains.Count > 0 ? string.Join(", ", domains) : null, links > 0 ? Count(links, "result", "results") : null);
            default:
                return null;
        }
    }

    private static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    /// <summary>How Claude Code begins the result of a command that failed: "Exit code 3", then the output.</summary>
    [GeneratedRegex(@"\AExit code (-?\d+)\r?\n?")]
    private static partial Regex ExitCodeLine();

    [GeneratedRegex(@"\ATask #(\w+) created")]
    private static partial Regex CreatedTask();
}
