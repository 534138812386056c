using System.Text.Json;
using Konui.Core.Kontasks;
using Konui.Core.Turns;

namespace Konui.Blazor.Tests;

/// <summary>A turn's events as konsole logs them, numbered from 1, for the fake konsole to serve.</summary>
public sealed class TurnScript(string turnId, string sessionId, string requestId, string prompt, DateTimeOffset startedAt)
{
    private readonly List<TurnEvent> _events = [new TurnStart(turnId, sessionId, requestId, prompt, 0) { Seq = 1, At = startedAt }];

    public IReadOnlyList<TurnEvent> Events => _events;

    public TurnScript Init(string model = "claude-test") =>
        Add(new TurnInit(model, [], [], sessionId, null, null, "2.1.197"));

    public TurnScript Text(string text, string messageId = "msg_1", int index = 0)
    {
        foreach (var word in text.Split(' ')) Add(new TextDelta(messageId, index, word == text.Split(' ')[^1] ? word : word + " "));
        return Add(new AssistantBlock(messageId, index, "text", text, null, null, null, "claude-test", null, false));
    }

    public TurnScript Thinking(string text, string messageId = "msg_1", int index = 0) =>
        Add(new AssistantBlock(messageId, index, "thinking", text, null, null, null, "claude-test", null, false));

    public TurnScript Tool(string name, string input, string result, bool isError = false, string messageId = "msg_2", int index = 0)
    {
        var toolUseId = $"toolu_{_events.Count}";
        using var document = JsonDocument.Parse(input);
        Add(new AssistantBlock(messageId, index, "tool_use", null, toolUseId, name, document.RootElement.Clone(), "claude-test", null, false));
        return Add(new ToolResult(toolUseId, result, isError));
    }

    public TurnScript Retry(int attempt, int maxRetries, int status) => Add(new ApiRetry(attempt, maxRetries, 1000, status, null));

    public TurnScript Note(string text) => Add(new TurnStatus(text));

    public TurnScript End(bool success, double totalMs, double? costUsd, long inputTokens = 1200, long outputTokens = 340, string? error = null)
    {
        Add(new TurnResult(success ? "success" : "error_during_execution", !success, null, new TurnUsage(inputTokens, outputTokens, 0, 0), costUsd,
            (long)totalMs, null, 1, null, sessionId, [], null, null));
        return Add(new TurnEnd(success, error, new TurnTiming { TotalMs = totalMs }, costUsd) { At = startedAt.AddMilliseconds(totalMs) });
    }

    private TurnScript Add(TurnEvent turnEvent)
    {
        _events.Add(turnEvent with { Seq = _events.Count + 1, At = turnEvent.At == default ? startedAt.AddMilliseconds(_events.Count * 10) : turnEvent.At });
        return this;
    }
}
