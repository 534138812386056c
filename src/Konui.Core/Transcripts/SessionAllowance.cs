using System.Text.Json;
using static Konui.Core.Turns.JsonFields;

namespace Konui.Core.Transcripts;

/// <summary>
/// What "allow for this session" allows besides this call, from the request's permission suggestions: rules such as
/// <c>Bash(touch touched.txt)</c>, folders Claude Code may work in, and the permission mode the session switches to
/// (Claude Code suggests acceptEdits for a call that changes files: then it stops asking before edits, too).
/// </summary>
public sealed record SessionAllowance(IReadOnlyList<string> Rules, IReadOnlyList<string> Directories, string? Mode)
{
    public static readonly SessionAllowance None = new([], [], null);

    /// <summary>The permission suggestions of a can_use_tool request: addRules, addDirectories, setMode (others are ignored).</summary>
    public static SessionAllowance Of(JsonElement? suggestions)
    {
        if (suggestions is not { ValueKind: JsonValueKind.Array } given) return None;
        var rules = new List<string>();
        var directories = new List<string>();
        string? mode = null;
        foreach (var suggestion in Items(given))
        {
            switch (Str(suggestion, "type"))
            {
                case "addRules" when Str(suggestion, "behavior") is null or "allow":
                    foreach (var rule in Items(suggestion, "rules"))
                    {
                        if (Str(rule, "toolName") is not { } tool) continue;
                        var text = Str(rule, "ruleContent") is { Length: > 0 } content ? $"{tool}({content})" : tool;
                        if (!rules.Contains(text)) rules.Add(text);
                    }
                    break;
                case "addDirectories":
                    directories.AddRange(Strings(suggestion, "directories").Where(d => !directories.Contains(d)));
                    break;
                case "setMode" when Str(suggestion, "mode") is { } suggested:
                    mode = suggested;
                    break;
            }
        }
        return new SessionAllowance(rules, directories, mode);
    }

    /// <summary>Allowing for the session also switches the session's permission mode.</summary>
    public bool SwitchesMode => Mode is not null;
}
