using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Konui.Core.Konsole;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// Claude Code's own store of conversations: one JSONL transcript per session, named after the session id, under
/// ~/.claude/projects/, where ~ is the HOME konsole gives the CLI (Konsole:Environment:HOME, else konsole's own).
/// Konsole reads it to list sessions it did not run and to know the folder (the transcript's cwd) a session must be
/// resumed in. A transcript is read again only when its size or time changed; lines it cannot read are skipped.
/// </summary>
public sealed partial class ClaudeTranscripts(KonsoleOptions options, ILogger<ClaudeTranscripts> logger)
{
    private const string InterruptMarker = "[Request interrupted by user";

    private readonly ConcurrentDictionary<string, Read> _reads = new(StringComparer.Ordinal);

    /// <summary>Where the CLI keeps its transcripts, one folder per working directory.</summary>
    public string ProjectsDirectory => Path.Combine(Home, ".claude", "projects");

    private string Home =>
        options.Environment.TryGetValue("HOME", out var home) && !string.IsNullOrWhiteSpace(home)
            ? home
            : Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>Every session in the store that has a prompt, newest first.</summary>
    public IReadOnlyList<CliSessionDetail> Sessions() =>
        Files("*.jsonl").Select(ReadCached).OfType<CliSessionDetail>()
            .GroupBy(s => s.Session.SessionId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(s => s.Session.LastActivity)!)
            .OrderByDescending(s => s.Session.LastActivity)
            .ToList();

    /// <summary>The session's transcript, or null when the store has none with a prompt.</summary>
    public CliSessionDetail? Find(string sessionId) =>
        Guid.TryParse(sessionId, out _)
            ? Files(sessionId + ".jsonl").Select(ReadCached).OfType<CliSessionDetail>().MaxBy(s => s.Session.LastActivity)
            : null;

    /// <summary>Transcripts are named after their session id; other JSONL files (a subagent's, say) are not sessions.</summary>
    private List<string> Files(string pattern)
    {
        if (!Directory.Exists(ProjectsDirectory)) return [];
        try
        {
            return Directory.EnumerateFiles(ProjectsDirectory, pattern, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(path => Guid.TryParse(Path.GetFileNameWithoutExtension(path), out _))
                .ToList();
        }
        catch (IOException ex)
        {
            logger.LogWarning("Listing Claude Code's transcripts in {Directory} failed: {Reason}", ProjectsDirectory, ex.Message);
            return [];
        }
    }

    private CliSessionDetail? ReadCached(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (_reads.TryGetValue(path, out var known) && known.Length == file.Length && known.WrittenAt == file.LastWriteTimeUtc) return known.Session;
            var session = ReadTranscript(path);
            _reads[path] = new Read(file.Length, file.LastWriteTimeUtc, session);
            return session;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Reading Claude Code's transcript {Path} failed: {Reason}", path, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Reads what a list needs: the folder the session ran in (every line carries "cwd"), its first and last
    /// timestamps, and the prompts, from the user lines a person wrote (not tool results, not the CLI's own notes).
    /// </summary>
    internal static CliSessionDetail? ReadTranscript(string path)
    {
        var sessionId = Path.GetFileNameWithoutExtension(path);
        string? cwd = null;
        DateTimeOffset? first = null, last = null;
        var prompts = new List<CliPrompt>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) continue;
                DateTimeOffset? at = root.TryGetProperty("timestamp", out var stamp) && stamp.ValueKind == JsonValueKind.String && stamp.TryGetDateTimeOffset(out var parsed)
                    ? parsed : null;
                if (at is { } time)
                {
                    if (first is null || time < first) first = time;
                    if (last is null || time > last) last = time;
                }
                if (cwd is null && root.TryGetProperty("cwd", out var folder) && folder.ValueKind == JsonValueKind.String) cwd = folder.GetString();
                if (PromptOf(root) is { } prompt && at is { } promptAt) prompts.Add(new CliPrompt(prompt, promptAt));
            }
        }
        if (cwd is null || prompts.Count == 0 || first is null || last is null) return null;
        return new CliSessionDetail(new CliSessionSummary(sessionId, prompts[0].Text, prompts.Count, first.Value, last.Value, cwd), prompts);
    }

    /// <summary>The text a person sent in a user line; null for tool results, a subagent's lines and the CLI's own notes.</summary>
    private static string? PromptOf(JsonElement line)
    {
        if (!Is(line, "type", "user") || IsTrue(line, "isMeta") || IsTrue(line, "isSidechain")) return null;
        if (!line.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content", out var content)) return null;
        var texts = new List<string>();
        if (content.ValueKind == JsonValueKind.String) texts.Add(content.GetString()!);
        else if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind != JsonValueKind.Object || !Is(block, "type", "text")) continue;
                if (block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String) texts.Add(text.GetString()!);
            }
        }
        var prompt = RequestMarker().Replace(string.Join("\n", texts), "").Trim();
        return prompt.Length == 0 || prompt.StartsWith(InterruptMarker, StringComparison.Ordinal) ? null : prompt;
    }

    private static bool Is(JsonElement element, string property, string value) =>
        element.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String && found.ValueEquals(value);

    private static bool IsTrue(JsonElement element, string property) =>
        element.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.True;

    /// <summary>The line konsole puts before each prompt (see <see cref="ClaudeCommandLine.UserMessage"/>): not part of what the user wrote.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("""<konui-request id="[^"]*"/>\s*""")]
    private static partial System.Text.RegularExpressions.Regex RequestMarker();

    private sealed record Read(long Length, DateTime WrittenAt, CliSessionDetail? Session);
}
