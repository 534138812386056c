using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// What a console session has settled, kept in its <see cref="SessionLog"/> so that a CLI started again for it (after
/// an idle close, a crash, a konsole restart) goes on the same way: its permission mode (as last set or reported by
/// Claude Code), the model chosen for it, and what the user allowed for the session. A session that keeps the
/// configured mode (<paramref name="defaultMode"/>) and model writes nothing.
/// </summary>
internal sealed class SessionSettings(SessionLog log, string defaultMode, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly List<SessionRule> _rules = [];
    private string? _mode;
    private string? _chosenModel;
    private string? _reportedModel;
    private string? _folder;

    /// <summary>The permission mode as last set or reported; null until then (the configured default applies).</summary>
    public string? PermissionMode
    {
        get { lock (_gate) return _mode; }
    }

    /// <summary>The model the session runs: as Claude Code last reported it, else as chosen; null: the configured default.</summary>
    public string? Model
    {
        get { lock (_gate) return _reportedModel ?? _chosenModel; }
    }

    /// <summary>The project folder the session was started in; null: the configured one.</summary>
    public string? WorkingDirectory
    {
        get { lock (_gate) return _folder; }
    }

    public IReadOnlyList<SessionRule> Rules
    {
        get { lock (_gate) return [.. _rules]; }
    }

    /// <summary>
    /// What a CLI started for the session is told. The rules and directories allowed for the session go into a
    /// settings file beside the session's log (its user's alone), written now; none is given when there are none.
    /// </summary>
    public SessionLaunch Launch()
    {
        string? model, mode;
        List<string> allow, directories;
        lock (_gate)
        {
            model = _chosenModel;
            mode = _mode;
            allow = _rules.Where(r => r.Kind == SessionRule.RuleKind).Select(r => r.Rule!).Distinct(StringComparer.Ordinal).ToList();
            directories = _rules.Where(r => r.Kind == SessionRule.DirectoryKind).Select(r => r.Directory!).Distinct(StringComparer.Ordinal).ToList();
        }
        var file = Path.ChangeExtension(log.Path, ".settings.json");
        try
        {
            if (allow.Count == 0 && directories.Count == 0)
            {
                if (File.Exists(file)) File.Delete(file);
                return new SessionLaunch(model, mode, null);
            }
            var settings = new JsonObject
            {
                ["permissions"] = new JsonObject
                {
                    ["allow"] = new JsonArray([.. allow.Select(r => (JsonNode)r)]),
                    ["additionalDirectories"] = new JsonArray([.. directories.Select(d => (JsonNode)d)]),
                },
            };
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(file, options)) stream.Write(Encoding.UTF8.GetBytes(settings.ToJsonString()));
            return new SessionLaunch(model, mode, file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Claude Code then asks again for what was allowed; nothing is allowed that was not.
            logger.LogWarning(ex, "Could not write the rules allowed for the session to {File}; Claude Code will ask for them again", file);
            return new SessionLaunch(model, mode, null);
        }
    }

    public void Replay(SessionRecord record)
    {
        lock (_gate)
        {
            switch (record)
            {
                case ModeRecord mode:
                    _mode = mode.Mode;
                    break;
                case ModelRecord model:
                    _chosenModel = model.Model;
                    break;
                case FolderRecord folder:
                    _folder = folder.Folder;
                    break;
                case RuleGranted granted:
                    _rules.Add(granted.Rule);
                    break;
                case RuleRevoked revoked:
                    _rules.RemoveAll(r => r.RuleId == revoked.RuleId);
                    break;
            }
        }
    }

    /// <summary>The session's mode is now <paramref name="mode"/> (set, or reported by Claude Code); recorded when it changed.</summary>
    public void ModeIs(string? mode)
    {
        if (string.IsNullOrEmpty(mode)) return;
        lock (_gate)
        {
            if ((_mode ?? defaultMode) == mode) return;
            _mode = mode;
        }
        log.Append(new ModeRecord(mode) { At = time.GetUtcNow() }, logger);
    }

    /// <summary>A new session runs in <paramref name="folder"/> (a real path inside a project folder), from now on.</summary>
    public void FolderChosen(string folder)
    {
        lock (_gate) _folder = folder;
        log.Append(new FolderRecord(folder) { At = time.GetUtcNow() }, logger);
    }

    public void ModelChosen(string model)
    {
        lock (_gate)
        {
            _chosenModel = model;
            _reportedModel = null;
        }
        log.Append(new ModelRecord(model) { At = time.GetUtcNow() }, logger);
    }

    /// <summary>The model a turn's init names: what the session runs now.</summary>
    public void ModelReported(string? model)
    {
        if (string.IsNullOrEmpty(model)) return;
        lock (_gate) _reportedModel = model;
    }

    /// <summary>
    /// The user allowed <paramref name="request"/> for the session: its suggested rules and directories, and the exact
    /// call. Returns what is new.
    /// </summary>
    public IReadOnlyList<SessionRule> Grant(DecisionRequest request)
    {
        var now = time.GetUtcNow();
        var offered = new List<SessionRule>();
        foreach (var suggestion in Suggestions(request))
        {
            switch (Text(suggestion, "type"))
            {
                case "addRules" when Text(suggestion, "behavior") == DecisionResult.Allow:
                    foreach (var rule in Items(suggestion, "rules"))
                    {
                        if (Text(rule, "toolName") is not { } tool) continue;
                        var content = Text(rule, "ruleContent");
                        offered.Add(new SessionRule(Ids.Rule(time), SessionRule.RuleKind, tool, content is null ? tool : $"{tool}({content})", null, null, request.DecisionId, now));
                    }
                    break;
                case "addDirectories":
                    foreach (var directory in Items(suggestion, "directories").Where(d => d.ValueKind == JsonValueKind.String))
                    {
                        offered.Add(new SessionRule(Ids.Rule(time), SessionRule.DirectoryKind, request.ToolName, null, directory.GetString(), null, request.DecisionId, now));
                    }
                    break;
            }
        }
        offered.Add(new SessionRule(Ids.Rule(time), SessionRule.CallKind, request.ToolName, null, null, request.Input, request.DecisionId, now));
        var added = new List<SessionRule>();
        lock (_gate)
        {
            foreach (var rule in offered.Where(r => !_rules.Any(known => Same(known, r))))
            {
                _rules.Add(rule);
                added.Add(rule);
            }
        }
        foreach (var rule in added) log.Append(new RuleGranted(rule) { At = now }, logger);
        return added;
    }

    /// <summary>Takes back a rule; null when the session has none by that id.</summary>
    public SessionRule? Revoke(string ruleId)
    {
        SessionRule? rule;
        lock (_gate)
        {
            rule = _rules.Find(r => r.RuleId == ruleId);
            if (rule is null) return null;
            _rules.Remove(rule);
        }
        log.Append(new RuleRevoked(ruleId) { At = time.GetUtcNow() }, logger);
        return rule;
    }

    /// <summary>Whether this exact call (tool and input) was allowed for the session.</summary>
    public bool AllowsCall(string toolName, JsonElement? input)
    {
        lock (_gate)
        {
            return _rules.Any(r => r.Kind == SessionRule.CallKind && r.ToolName == toolName && SameInput(r.Input, input));
        }
    }

    /// <summary>The request's permission suggestions with every destination "session": the CLI keeps them for this process only.</summary>
    public static JsonElement? ForThisSession(DecisionRequest request)
    {
        var suggestions = Suggestions(request).ToList();
        if (suggestions.Count == 0) return null;
        var array = new JsonArray();
        foreach (var suggestion in suggestions)
        {
            var node = JsonNode.Parse(suggestion.GetRawText())!.AsObject();
            node["destination"] = "session";
            array.Add(node);
        }
        return JsonSerializer.SerializeToElement(array);
    }

    private static IEnumerable<JsonElement> Suggestions(DecisionRequest request) =>
        request.PermissionSuggestions is { ValueKind: JsonValueKind.Array } suggestions
            ? suggestions.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object)
            : [];

    private static bool Same(SessionRule a, SessionRule b) =>
        a.Kind == b.Kind && a.ToolName == b.ToolName && a.Rule == b.Rule && a.Directory == b.Directory && SameInput(a.Input, b.Input);

    private static bool SameInput(JsonElement? a, JsonElement? b) =>
        (a, b) switch
        {
            (null, null) => true,
            ({ } x, { } y) => JsonElement.DeepEquals(x, y),
            _ => false,
        };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    private static JsonElement.ArrayEnumerator Items(JsonElement element, string name) =>
        (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value : EmptyArray).EnumerateArray();
}
