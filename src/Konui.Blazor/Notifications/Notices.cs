using System.Text.Json;
using Konui.Blazor.Components;
using Konui.Blazor.Console;
using Konui.Core.Events;
using Konui.Core.Turns;

namespace Konui.Blazor.Notifications;

/// <summary>
/// One more reader of the events every view reads (the bus, fed by konsole's turn streams), never a second source of
/// truth: it turns them into <see cref="Notice"/>s (a decision waiting, a turn ended or failed) for the tabs' titles
/// and browser notifications and for Web Push, and keeps the decisions that wait now. It reads every session's events
/// from the moment it is made (before Konui follows any turn), one at a time and in order; a turn stopped on purpose
/// is no news. When it falls behind and loses events, it takes the waiting decisions from konsole's status instead.
/// </summary>
public sealed class Notices : IDisposable
{
    private const int BodyLength = 160;

    /// <summary>A reader that falls this far behind (streaming text of many turns) loses events; notices are rare among them.</summary>
    private const int Capacity = 16 * 1024;

    private readonly Konsoles _konsoles;
    private readonly ILogger<Notices> _logger;
    private readonly IDisposable _events;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Notice> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _prompts = new(StringComparer.Ordinal);

    public Notices(EventBus bus, Konsoles konsoles, ILogger<Notices> logger)
    {
        _konsoles = konsoles;
        _logger = logger;
        _events = bus.SubscribeTurns(OnEventAsync, Capacity);
    }

    /// <summary>A new notice: handlers run on the reader's thread, one notice at a time, and must not wait.</summary>
    public event Action<Notice>? Noticed;

    /// <summary>The decisions that wait changed.</summary>
    public event Action? WaitingChanged;

    /// <summary>The decisions that wait now, in every session, oldest first.</summary>
    public IReadOnlyList<Notice> Waiting
    {
        get
        {
            lock (_gate) return _waiting.Values.OrderBy(n => n.EventAt).ToList();
        }
    }

    private Task OnEventAsync(ConsoleEvent consoleEvent)
    {
        if (ReferenceEquals(consoleEvent, EventBus.Resync))
        {
            RebuildWaitingFromStatus();
            return Task.CompletedTask;
        }
        var (sessionId, turnId) = (consoleEvent.SessionId, consoleEvent.TurnId);
        Notice? notice = null;
        var waitingChanged = false;
        lock (_gate)
        {
            switch (consoleEvent.Event)
            {
                case TurnStart start:
                    _prompts[turnId] = start.Prompt;
                    break;
                case DecisionRequest request:
                    notice = Waits(sessionId, turnId, request);
                    _waiting[request.DecisionId] = notice;
                    waitingChanged = true;
                    break;
                case DecisionResult result:
                    waitingChanged = _waiting.Remove(result.DecisionId);
                    break;
                case TurnEnd end:
                    foreach (var open in _waiting.Values.Where(n => n.TurnId == turnId).ToList()) waitingChanged |= _waiting.Remove(open.DecisionId!);
                    _prompts.Remove(turnId, out var prompt);
                    notice = Ended(sessionId, turnId, end, prompt);
                    break;
            }
        }
        if (waitingChanged) WaitingChanged?.Invoke();
        if (notice is not null) Noticed?.Invoke(notice);
        return Task.CompletedTask;
    }

    private static Notice Waits(string sessionId, string turnId, DecisionRequest request)
    {
        var tool = ToolName.Shown(request.ToolName);
        var detail = request.ToolName switch
        {
            DecisionRequest.ExitPlanModeTool => "Claude's plan is ready for you.",
            DecisionRequest.AskUserQuestionTool => Text(request.Input, "questions", "question") ?? "Claude has a question for you.",
            _ => Text(request.Input, "command") ?? Text(request.Input, "file_path") ?? Text(request.Input, "url") ?? request.Description ?? $"Claude wants to use {tool}.",
        };
        return new Notice(NoticeKind.DecisionWaiting, sessionId, turnId, request.DecisionId, tool, $"Waiting: {tool}", Shorten(detail), request.At);
    }

    /// <summary>A turn's end is news unless someone stopped it.</summary>
    private static Notice? Ended(string sessionId, string turnId, TurnEnd end, string? prompt)
    {
        var asked = prompt is null ? "" : Shorten(prompt.Split('\n', 2)[0]);
        if (end.Success) return new Notice(NoticeKind.TurnEnded, sessionId, turnId, null, null, "Turn ended", asked.Length > 0 ? asked : "Claude is done.", end.At);
        if (end.Error?.StartsWith("stopped", StringComparison.Ordinal) == true) return null;
        var why = end.Error ?? "no reason given";
        return new Notice(NoticeKind.TurnFailed, sessionId, turnId, null, null, "Turn failed", Shorten(asked.Length > 0 ? $"{asked}: {why}" : why), end.At);
    }

    /// <summary>After lost events, what waits is what konsole's last status says waits.</summary>
    private void RebuildWaitingFromStatus()
    {
        _logger.LogWarning("Notices fell behind the turns' events; the decisions that wait are taken from konsole's status");
        lock (_gate)
        {
            _waiting.Clear();
            foreach (var (_, turn) in _konsoles.ActiveTurns)
            {
                foreach (var pending in turn.PendingDecisions ?? [])
                {
                    var tool = ToolName.Shown(pending.ToolName);
                    _waiting[pending.DecisionId] = new Notice(NoticeKind.DecisionWaiting, turn.SessionId, turn.TurnId, pending.DecisionId, tool,
                        $"Waiting: {tool}", $"Claude wants to use {tool}.", pending.AskedAt);
                }
            }
        }
        WaitingChanged?.Invoke();
    }

    /// <summary>A string at <paramref name="path"/> in a tool's input (through the first element of an array).</summary>
    private static string? Text(JsonElement? input, params string[] path)
    {
        if (input is not { ValueKind: JsonValueKind.Object } node) return null;
        foreach (var name in path)
        {
            if (node.ValueKind == JsonValueKind.Array) node = node.GetArrayLength() > 0 ? node[0] : default;
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node)) return null;
        }
        return node.ValueKind == JsonValueKind.String ? node.GetString() : null;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= BodyLength ? line : line[..(BodyLength - 1)] + "…";
    }

    public void Dispose() => _events.Dispose();
}
