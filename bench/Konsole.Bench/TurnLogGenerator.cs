using System.Globalization;
using System.Text;
using System.Text.Json;
using Konui.Core;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// Realistic konsole data for the telemetry and reports benchmarks, from a seeded random source: turn logs in the JSON
/// shape <see cref="TurnEventJson"/> writes (turn_start, init, status, text and thinking deltas, assistant blocks,
/// tool calls and their results, result with usage and cost, turn_end with the timing <see cref="TurnTimingMeter"/>
/// computes), spread over the last 90 days and about 50 sessions, and a kontask for about one turn in four.
/// </summary>
internal sealed class TurnLogGenerator(int seed = 42)
{
    private static readonly string[] Words =
    [
        "the", "konsole", "turn", "reads", "session", "file", "test", "build", "and", "then", "we", "check", "that", "it", "passes",
        "I'll", "look", "at", "config", "parser", "stream", "event", "fix", "render", "page", "logs", "kontask", "should", "now",
    ];

    private static readonly string[] ToolNames = ["Bash", "Read", "Edit", "Grep", "Glob", "Write", KonuiTools.CreateTaskInClaude, "WebFetch"];
    private static readonly string[] Scopes = ["konui", "konsole", "infra", "docs", "research"];
    private static readonly string[] Tags = ["bug", "feature", "perf", "test", "ui", "refactor", "question"];
    private static readonly string[] Statuses = ["done", "in_progress", "pending", "blocked"];
    private static readonly string[] Tools =
    [
        "Task", "Bash", "Glob", "Grep", "Read", "Edit", "Write", "NotebookEdit", "WebFetch", "WebSearch", "TodoWrite", "Skill",
        .. KonuiTools.All.Select(KonuiTools.InClaude),
    ];

    private static readonly JsonElement ModelUsage = JsonDocument.Parse(
        """{"claude-opus-4-8[1m]":{"inputTokens":1200,"outputTokens":640,"cacheReadInputTokens":48000,"cacheCreationInputTokens":5200,"webSearchRequests":0,"costUSD":0.21,"contextWindow":1000000,"maxOutputTokens":64000}}""").RootElement;

    private readonly Random _random = new(seed);
    private readonly GeneratorClock _clock = new(default);

    /// <summary>Writes <paramref name="turns"/> turn logs into <c>dataDir/turns</c> and kontasks.jsonl; returns the bytes written.</summary>
    public long Write(string dataDir, int turns, int sessions, TimeSpan span, DateTimeOffset now)
    {
        var turnsDir = Directory.CreateDirectory(Path.Combine(dataDir, "turns")).FullName;
        var sessionIds = Enumerable.Range(0, sessions).Select(_ => Ids.Session()).ToArray();
        var starts = Enumerable.Range(0, turns).Select(_ => now - span * _random.NextDouble()).Order().ToArray();
        long bytes = 0;
        using var kontasks = new FileStream(Path.Combine(dataDir, "kontasks.jsonl"), FileMode.Create);
        foreach (var start in starts)
        {
            var sessionId = sessionIds[(int)(sessions * Math.Pow(_random.NextDouble(), 1.5))];
            _clock.Now = start;
            var turnId = Ids.Turn(_clock);
            var requestId = Ids.Request(_clock);
            var path = Path.Combine(turnsDir, turnId + ".jsonl");
            using (var log = new FileStream(path, FileMode.Create))
            {
                foreach (var turnEvent in Turn(turnId, sessionId, requestId, start))
                {
                    log.Write(TurnEventJson.SerializeToUtf8(turnEvent));
                    log.WriteByte((byte)'\n');
                }
                bytes += log.Length;
            }
            if (_random.NextDouble() < 0.25)
            {
                _clock.Now = start.AddSeconds(20);
                kontasks.Write(KontaskJson.SerializeLine(Kontask(requestId, start)));
                kontasks.WriteByte((byte)'\n');
            }
        }
        return bytes + kontasks.Length;
    }

    private List<TurnEvent> Turn(string turnId, string sessionId, string requestId, DateTimeOffset start)
    {
        var events = new List<TurnEvent>();
        var at = start;
        var meter = new TurnTimingMeter(start);
        meter.PromptWritten(start.AddMilliseconds(3));
        void Add(TurnEvent turnEvent, double afterMs)
        {
            at = at.AddMilliseconds(afterMs);
            var stamped = turnEvent with { Seq = events.Count + 1, At = at };
            meter.Observe(stamped);
            events.Add(stamped);
        }

        events.Add(new TurnStart(turnId, sessionId, requestId, Sentence(8 + _random.Next(60)), 0) { Seq = 1, At = start });
        Add(new TurnInit("claude-opus-4-8[1m]", Tools, [new McpServerState("konui", "connected")], sessionId, "/home/dev/project", "default", "2.1.197"),
            400 + _random.Next(2500));
        Add(new TurnStatus("requesting"), 2);
        var message = 0;
        var failed = _random.NextDouble() < 0.05;
        var steps = _random.Next(6);
        for (var step = 0; step <= steps; step++)
        {
            var messageId = $"msg_{turnId[5..17]}{++message:D3}";
            var block = 0;
            if (_random.NextDouble() < 0.3)
            {
                var thinking = Deltas(messageId, block, thinkingText: true, Add);
                Add(new AssistantBlock(messageId, block++, "thinking", thinking, null, null, null, "claude-opus-4-8", null, false), 5);
            }
            var text = Deltas(messageId, block, thinkingText: false, Add);
            Add(new AssistantBlock(messageId, block++, "text", text, null, null, null, "claude-opus-4-8", null, false), 5);
            if (step == steps) break;
            var tool = ToolNames[_random.Next(ToolNames.Length)];
            var toolUseId = $"toolu_{turnId[5..17]}{step:D2}";
            var input = JsonDocument.Parse($$"""{"command":"{{Sentence(6)}}","description":"{{Sentence(4)}}"}""").RootElement;
            Add(new AssistantBlock(messageId, block, "tool_use", null, toolUseId, tool, input, "claude-opus-4-8", null, false), 30);
            Add(new ToolResult(toolUseId, Sentence(30 + _random.Next(600)), _random.NextDouble() < 0.05), 50 + _random.Next(8000));
        }
        var durationMs = (at - start).TotalMilliseconds;
        var outputTokens = events.Count * 3 + _random.Next(400);
        var usage = new TurnUsage(8 + _random.Next(3000), outputTokens, _random.Next(8000), 20_000 + _random.Next(120_000));
        var cost = Math.Round(0.01 + usage.OutputTokens * 0.000075 + usage.CacheReadInputTokens * 0.0000015, 6);
        if (!failed || _random.NextDouble() < 0.5)
        {
            Add(new TurnResult(failed ? "error_during_execution" : "success", failed, failed ? "aborted_streaming" : "completed", usage, cost,
                (long)durationMs, (long)(durationMs * 0.8), steps + 1, failed ? null : Sentence(20), sessionId, [], null, ModelUsage), 20);
        }
        var end = at.AddMilliseconds(3);
        var timing = meter.Finish(end);
        var toolCalls = events.OfType<AssistantBlock>().Where(b => b.ToolName is not null).GroupBy(b => b.ToolName!)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        events.Add(new TurnEnd(!failed, failed ? "stopped by user" : null, timing, cost, toolCalls.Count > 0 ? toolCalls : null)
        {
            Seq = events.Count + 1,
            At = end,
        });
        return events;
    }

    /// <summary>Streams a block's deltas (about 30 a second) and returns its text.</summary>
    private string Deltas(string messageId, int block, bool thinkingText, Action<TurnEvent, double> add)
    {
        var text = new StringBuilder();
        var count = 5 + (int)(_random.NextDouble() * _random.NextDouble() * 300);
        for (var i = 0; i < count; i++)
        {
            var piece = (i == 0 ? "" : " ") + Words[_random.Next(Words.Length)];
            text.Append(piece);
            add(thinkingText ? new ThinkingDelta(messageId, block, piece) : new TextDelta(messageId, block, piece), 10 + _random.Next(50));
        }
        return text.ToString();
    }

    /// <summary>A kontask made 20 s into its turn (the clock is set to then).</summary>
    private Kontask Kontask(string requestId, DateTimeOffset turnStart) => new()
    {
        Id = Ids.Kontask(_clock),
        Type = "report",
        Status = Statuses[_random.Next(Statuses.Length)],
        Title = Sentence(5),
        Description = Sentence(20),
        Context = new KontaskContext { Output = $"<h2>{Sentence(4)}</h2><p>{Sentence(80)}</p>", RequestId = requestId },
        CreatedBy = "claude",
        CreatedAt = turnStart.AddSeconds(20),
        RequestId = requestId,
        Scope = Scopes[_random.Next(Scopes.Length)],
        Tags = [Tags[_random.Next(Tags.Length)], Tags[_random.Next(Tags.Length)]],
    };

    private string Sentence(int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[_random.Next(Words.Length)])).Replace("'", "", StringComparison.Ordinal) + ".";

    public static string Size(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0} MB");
}
