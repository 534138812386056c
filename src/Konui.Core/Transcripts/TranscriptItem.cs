using System.Text;
using System.Text.Json;

namespace Konui.Core.Transcripts;

/// <summary>One thing shown in a turn, in the order it arrived.</summary>
public abstract class TranscriptItem
{
    /// <summary>Stable within its turn, for @key.</summary>
    public required string Key { get; init; }
}

/// <summary>Assistant text: grows as deltas stream, then holds the finished block.</summary>
public sealed class AssistantText : TranscriptItem
{
    internal StringBuilder Builder { get; } = new();

    public string Text => Builder.ToString();

    /// <summary>How long the text is now, without building it: a view tells by it whether the text grew.</summary>
    public int Length => Builder.Length;

    public bool IsFinished { get; internal set; }

    public bool IsApiError { get; internal set; }
}

/// <summary>Claude's thinking: shown collapsed.</summary>
public sealed class ThinkingText : TranscriptItem
{
    internal StringBuilder Builder { get; } = new();

    public string Text => Builder.ToString();

    /// <summary>How long the text is now, without building it: a view tells by it whether the text grew.</summary>
    public int Length => Builder.Length;

    public bool IsFinished { get; internal set; }
}

/// <summary>A tool call with its input and, once it returns, its result.</summary>
public sealed class ToolCall : TranscriptItem
{
    public required string ToolUseId { get; init; }

    public required string Name { get; init; }

    public JsonElement? Input { get; init; }

    public string? Result { get; internal set; }

    public bool IsError { get; internal set; }

    public bool HasResult => Result is not null;

    /// <summary>What Claude Code reported of the call besides its result (its tool_use_result): an edit's patch, a command's output.</summary>
    public JsonElement? ToolUseResult { get; internal set; }

    /// <summary>What a review shows instead of the JSON (a diff, a command's run, a task list change, a lookup); null for other tools.</summary>
    public ToolReview? Review { get; internal set; }

    /// <summary>When konsole read the call.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When konsole read its result.</summary>
    public DateTimeOffset? FinishedAt { get; internal set; }

    /// <summary>How long the call ran: from its start, or from the answer when Claude Code asked first, to its result.</summary>
    public TimeSpan? Duration
    {
        get
        {
            if (FinishedAt is not { } finished) return null;
            var from = Decision?.Result?.At is { } answered && answered > StartedAt ? answered : StartedAt;
            return finished >= from ? finished - from : null;
        }
    }

    /// <summary>Claude Code's question whether this call may run, when it asked: the card is drawn at the call.</summary>
    public TranscriptDecision? Decision { get; internal set; }

    /// <summary>The kontask this call made, when it was a successful konui_create_task.</summary>
    public string? KontaskId { get; internal set; }

    /// <summary>What a subagent this call started did (its tool calls and text, in order), shown inside the call.</summary>
    public IReadOnlyList<TranscriptItem> Steps => MutableSteps;

    internal List<TranscriptItem> MutableSteps { get; } = [];
}

/// <summary>The CLI retrying a failed API call.</summary>
public sealed class RetryNote : TranscriptItem
{
    public required int Attempt { get; init; }

    public required int MaxRetries { get; init; }

    public int? ErrorStatus { get; init; }

    public string? Error { get; init; }

    public int RetryDelayMs { get; init; }
}

/// <summary>Something konsole wants the reader to know about the turn, in words.</summary>
public sealed class TurnNote : TranscriptItem
{
    public required string Text { get; init; }
}
