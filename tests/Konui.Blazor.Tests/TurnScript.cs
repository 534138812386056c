using System.Text.Json;
using Konui.Core.Kontasks;
using Konui.Core.Turns;

namespace Konui.Blazor.Tests;

/// <summary>A turn's events as konsole logs them, numbered from 1, for the fake konsole to serve.</summary>
public sealed class TurnScript(string turnId, string sessionId, string requestId, string prompt, DateTimeOffset startedAt)
{
    private readonly List<TurnEvent> _events = [new TurnStart(turnId, sessionId, requestId, prompt, 0) { Seq = 1, At = startedAt }];

    public IReadOnlyList<TurnEvent> Events => _events;

    public TurnScript Init() => Add(new TurnInit("claude-test", [], [], sessionId, null, null, "2.1.197"));

    /// <summary>Assistant text streamed word by word, then the finished block.</summary>
    public TurnScript Text(string text)
    {
        var messageId = $"msg_{_events.Count}";
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++) Add(new TextDelta(messageId, 0, i < words.Length - 1 ? words[i] + " " : words[i]));
        return Add(new AssistantBlock(messageId, 0, "text", text, null, null, null, "claude-test", null, false));
    }

    /// <summary>A tool call with its JSON input, and what it returned.</summary>
    public TurnScript Tool(string name, string input, string result)
    {
        var toolUseId = $"toolu_{_events.Count}";
        using var document = JsonDocument.Parse(input);
        Add(new AssistantBlock($"msg_{_events.Count}", 0, "tool_use", null, toolUseId, name, document.RootElement.Clone(), "claude-test", null, false));
        return Add(new ToolResult(toolUseId, result, false));
    }

    /// <summary>The CLI's result and the turn's end, <paramref name="totalMs"/> after it started.</summary>
    public TurnScript End(bool success, double totalMs, double? costUsd, string? error = null)
    {
        Add(new TurnResult(success ? "success" : "error_during_execution", !success, null, new TurnUsage(1200, 340, 0, 0), costUsd,
            (long)totalMs, null, 1, null, sessionId, [], null, null));
        return Add(new TurnEnd(success, error, new TurnTiming { TotalMs = totalMs }, costUsd) { At = startedAt.AddMilliseconds(totalMs) });
    }

    private TurnScript Add(TurnEvent turnEvent)
    {
        _events.Add(turnEvent with { Seq = _events.Count + 1, At = turnEvent.At == default ? startedAt.AddMilliseconds(_events.Count * 10) : turnEvent.At });
        return this;
    }
}
