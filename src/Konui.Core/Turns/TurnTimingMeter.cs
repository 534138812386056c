using Konui.Core.Kontasks;

namespace Konui.Core.Turns;

/// <summary>
/// Measures where a turn's time goes, from its events as they arrive: time to first event after the prompt was
/// written, thinking (first thinking delta to the finished thinking block), tool execution (tool_use to its
/// tool_result; parallel calls count once), the number of tool calls, and each one's share of the total.
/// </summary>
public sealed class TurnTimingMeter(DateTimeOffset startedAt)
{
    private readonly Dictionary<string, DateTimeOffset> _toolsRunning = new(StringComparer.Ordinal);
    private readonly List<(DateTimeOffset From, DateTimeOffset To)> _toolSpans = [];
    private DateTimeOffset? _promptWrittenAt;
    private DateTimeOffset? _firstEventAt;
    private DateTimeOffset? _thinkingSince;
    private double _thinkingMs;
    private int _toolCalls;
    private readonly Dictionary<string, int> _toolsByName = new(StringComparer.Ordinal);

    /// <summary>The tool calls seen so far, by tool name.</summary>
    public IReadOnlyDictionary<string, int> ToolCallsByName => _toolsByName;

    public void PromptWritten(DateTimeOffset at) => _promptWrittenAt ??= at;

    public void Observe(TurnEvent turnEvent)
    {
        var at = turnEvent.At;
        if (turnEvent is TurnStart or TurnEnd) return;
        if (_promptWrittenAt is not null) _firstEventAt ??= at;
        switch (turnEvent)
        {
            case ThinkingDelta:
                _thinkingSince ??= at;
                break;
            case AssistantBlock { BlockType: "thinking" }:
                EndThinking(at);
                break;
            case AssistantBlock { BlockType: "tool_use", ToolUseId: { } id }:
                EndThinking(at);
                _toolCalls++;
                _toolsRunning[id] = at;
                var name = ((AssistantBlock)turnEvent).ToolName ?? "tool";
                _toolsByName[name] = _toolsByName.GetValueOrDefault(name) + 1;
                break;
            case TextDelta or AssistantBlock:
                EndThinking(at);
                break;
            case ToolResult result when _toolsRunning.Remove(result.ToolUseId, out var since):
                _toolSpans.Add((since, at));
                break;
        }
    }

    public TurnTiming Finish(DateTimeOffset at)
    {
        EndThinking(at);
        var spans = _toolSpans.Concat(_toolsRunning.Values.Select(since => (From: since, To: at))).OrderBy(s => s.From).ToList();
        double toolMs = 0;
        DateTimeOffset? coveredUntil = null;
        foreach (var (from, to) in spans)
        {
            var start = coveredUntil is { } c && c > from ? c : from;
            if (to > start) toolMs += (to - start).TotalMilliseconds;
            if (coveredUntil is null || to > coveredUntil) coveredUntil = to;
        }
        var totalMs = Math.Max(0, (at - startedAt).TotalMilliseconds);
        var ttfeMs = _firstEventAt is { } first && _promptWrittenAt is { } written ? (first - written).TotalMilliseconds : (double?)null;
        return new TurnTiming
        {
            TotalMs = Math.Round(totalMs),
            TtfeMs = ttfeMs is { } t ? Math.Round(t) : null,
            ThinkingMs = Math.Round(_thinkingMs),
            ToolExecutionMs = Math.Round(toolMs),
            ToolCallCount = _toolCalls,
            TtfePct = Share(ttfeMs, totalMs),
            ThinkingPct = Share(_thinkingMs, totalMs),
            ToolsPct = Share(toolMs, totalMs),
        };
    }

    private void EndThinking(DateTimeOffset at)
    {
        if (_thinkingSince is not { } since) return;
        _thinkingMs += Math.Max(0, (at - since).TotalMilliseconds);
        _thinkingSince = null;
    }

    private static double? Share(double? part, double total) =>
        part is { } p && total > 0 ? Math.Round(Math.Clamp(p / total * 100, 0, 100), 1) : null;
}
