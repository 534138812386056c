using System.Text.Json;

namespace Konui.Core.Konsole;

/// <summary>
/// Something the user allowed for the rest of a console session, by answering a decision with "for this session":
/// a rule Claude Code applies (<see cref="Kind"/> "rule", e.g. <c>Bash(touch touched.txt)</c> in <see cref="Rule"/>),
/// a directory it may work in ("directory"), or this exact call (tool and input), which konsole allows when Claude Code
/// asks again ("call": its own rules miss some commands, such as ones with an output redirection).
/// </summary>
public sealed record SessionRule(
    string RuleId,
    string Kind,
    string ToolName,
    string? Rule,
    string? Directory,
    JsonElement? Input,
    string DecisionId,
    DateTimeOffset GrantedAt)
{
    public const string RuleKind = "rule";
    public const string DirectoryKind = "directory";
    public const string CallKind = "call";
}
