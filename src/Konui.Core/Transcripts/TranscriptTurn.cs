using Konui.Core.Kontasks;
using Konui.Core.Turns;

namespace Konui.Core.Transcripts;

/// <summary>A turn as the dashboard shows it: the prompt, what came of it in order, and how it ended.</summary>
public sealed class TranscriptTurn
{
    private readonly List<TranscriptItem> _items = [];

    public required string TurnId { get; init; }

    public required string SessionId { get; init; }

    public required string RequestId { get; init; }

    public required string Prompt { get; init; }

    public int ImageCount { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public long LastSeq { get; internal set; }

    /// <summary>When the turn's latest event happened: a running turn silent for long has a CLI that gives no output.</summary>
    public DateTimeOffset LastEventAt { get; internal set; }

    public string? Model { get; internal set; }

    /// <summary>The folder Claude Code ran the turn in (its init's cwd).</summary>
    public string? WorkingDirectory { get; internal set; }

    /// <summary>The slash commands the session offered in this turn (its init's), without the leading '/'.</summary>
    public IReadOnlyList<string> SlashCommands { get; internal set; } = [];

    public TurnResult? Result { get; internal set; }

    public TurnEnd? End { get; internal set; }

    public bool IsRunning => End is null;

    /// <summary>The turn's decisions in the order Claude Code asked them.</summary>
    public IReadOnlyList<TranscriptDecision> Decisions => DecisionsById.Values.OrderBy(d => d.Request.Seq).ToList();

    /// <summary>Claude Code waits for the user in this turn.</summary>
    public bool IsWaiting => IsRunning && DecisionsById.Values.Any(d => d.IsPending);

    public IReadOnlyList<TranscriptItem> Items => _items;

    /// <summary>A tool call of the turn by its id, one inside a subagent's call included.</summary>
    public ToolCall? FindCall(string toolUseId) => CallsById.GetValueOrDefault(toolUseId);

    /// <summary>Kontasks of this turn that no tool call in it shows (made another way, or by a call not seen).</summary>
    public List<KontaskSummary> OtherKontasks { get; } = [];

    internal List<TranscriptItem> MutableItems => _items;

    internal Dictionary<string, TranscriptDecision> DecisionsById { get; } = new(StringComparer.Ordinal);

    /// <summary>The turn's calls that change the agent's task list, in the order they came.</summary>
    internal List<ToolCall> ChecklistCalls { get; } = [];

    /// <summary>Every tool call of the turn by its id, those inside a subagent's call included.</summary>
    internal Dictionary<string, ToolCall> CallsById { get; } = new(StringComparer.Ordinal);
}
