using System.Text.Json.Serialization;
using Konui.Core.Konsole;

namespace Konsole;

/// <summary>
/// One line of a session's log (data/sessions/&lt;sessionId&gt;.jsonl): what the session settled outside its turns, replayed
/// in order when konsole starts: its permission mode and model, what was allowed for it and revoked, and its queue.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ModeRecord), "mode")]
[JsonDerivedType(typeof(ModelRecord), "model")]
[JsonDerivedType(typeof(RuleGranted), "rule_granted")]
[JsonDerivedType(typeof(RuleRevoked), "rule_revoked")]
[JsonDerivedType(typeof(PromptQueuedRecord), "queued")]
[JsonDerivedType(typeof(QueuedEdited), "queued_edited")]
[JsonDerivedType(typeof(QueuedLeft), "queued_left")]
[JsonDerivedType(typeof(FolderRecord), "folder")]
internal abstract record SessionRecord
{
    public DateTimeOffset At { get; init; }
}

/// <summary>The session's permission mode, as set through konsole or reported by Claude Code.</summary>
internal sealed record ModeRecord(string Mode) : SessionRecord;

/// <summary>The project folder the session was started in (its real path).</summary>
internal sealed record FolderRecord(string Folder) : SessionRecord;

/// <summary>The model chosen for the session (null: the configured default again).</summary>
internal sealed record ModelRecord(string? Model) : SessionRecord;

internal sealed record RuleGranted(SessionRule Rule) : SessionRecord;

internal sealed record RuleRevoked(string RuleId) : SessionRecord;

internal sealed record PromptQueuedRecord(QueuedPrompt Prompt, IReadOnlyList<TurnImage> Images) : SessionRecord;

internal sealed record QueuedEdited(string QueuedId, string Prompt) : SessionRecord;

/// <summary>A queued prompt left the queue: removed, or started as <see cref="TurnId"/>.</summary>
internal sealed record QueuedLeft(string QueuedId, string? TurnId) : SessionRecord;
