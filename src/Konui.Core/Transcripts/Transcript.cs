using System.Text.Json;
using Konui.Core.Kontasks;
using Konui.Core.Turns;

namespace Konui.Core.Transcripts;

/// <summary>
/// A console session's conversation, built from turn events. Each turn takes its events once and in order: an
/// event already applied is ignored, and one that skips ahead is refused (<see cref="ApplyOutcome.Gap"/>) so the
/// caller can fetch what is missing first. Not thread-safe: one owner applies and renders.
/// </summary>
public sealed class Transcript
{
    private readonly List<TranscriptTurn> _turns = [];
    private readonly Dictionary<string, TranscriptTurn> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TranscriptTurn> _byRequestId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Checklist?> _checklistAfter = new(StringComparer.Ordinal);
    private readonly HashSet<string> _checklistChangedIn = new(StringComparer.Ordinal);
    private Checklist? _checklist;
    private bool _checklistStale;

    public IReadOnlyList<TranscriptTurn> Turns => _turns;

    /// <summary>How many events this transcript has taken: a measure of its size.</summary>
    public long EventCount { get; private set; }

    public TranscriptTurn? Find(string turnId) => _byId.GetValueOrDefault(turnId);

    /// <summary>The decisions Claude Code waits for in this session, oldest first: "waiting for you" while there is one.</summary>
    public IEnumerable<TranscriptDecision> PendingDecisions => _turns.Where(t => t.IsRunning).SelectMany(t => t.Decisions).Where(d => d.IsPending);

    /// <summary>The folder the session runs in, as its latest turn's init says.</summary>
    public string? WorkingDirectory => _turns.LastOrDefault(t => t.WorkingDirectory is not null)?.WorkingDirectory;

    /// <summary>The session's slash commands (without the leading '/'), as its latest turn's init lists them.</summary>
    public IReadOnlyList<string> SlashCommands => _turns.LastOrDefault(t => t.SlashCommands.Count > 0)?.SlashCommands ?? [];

    /// <summary>The agent's task list as it stands now (null when the session never had one), with the turn that last changed it.</summary>
    public Checklist? Checklist
    {
        get
        {
            RefreshChecklists();
            return _checklist;
        }
    }

    /// <summary>The agent's task list as it stood when <paramref name="turnId"/> ended (or stands now, while it runs).</summary>
    public Checklist? ChecklistAsOf(string turnId)
    {
        RefreshChecklists();
        return _checklistAfter.GetValueOrDefault(turnId);
    }

    /// <summary>The task list as <paramref name="turnId"/> left it when that turn changed it; null when it did not: the turn shows it where it changed.</summary>
    public Checklist? ChecklistChangedBy(string turnId)
    {
        RefreshChecklists();
        return _checklistChangedIn.Contains(turnId) ? _checklistAfter.GetValueOrDefault(turnId) : null;
    }

    /// <summary>Folds every successful task list call of every turn, in the turns' order (they may arrive in another).</summary>
    private void RefreshChecklists()
    {
        if (!_checklistStale) return;
        _checklistStale = false;
        _checklistAfter.Clear();
        _checklistChangedIn.Clear();
        Checklist? list = null;
        foreach (var turn in _turns)
        {
            foreach (var call in turn.ChecklistCalls.Where(c => c is { HasResult: true, IsError: false }))
            {
                if (call.Review is not ChecklistStep step) continue;
                var next = Checklist.Apply(list, step, turn.TurnId, call.ToolUseId);
                if (!ReferenceEquals(next, list)) _checklistChangedIn.Add(turn.TurnId);
                list = next;
            }
            _checklistAfter[turn.TurnId] = list;
        }
        _checklist = list;
    }

    public ApplyOutcome Apply(string turnId, TurnEvent turnEvent)
    {
        if (!_byId.TryGetValue(turnId, out var turn))
        {
            if (turnEvent is not TurnStart start) return turnEvent.Seq <= 0 ? ApplyOutcome.Ignored : ApplyOutcome.Gap;
            turn = new TranscriptTurn
            {
                TurnId = turnId,
                SessionId = start.SessionId,
                RequestId = start.RequestId,
                Prompt = start.Prompt,
                ImageCount = start.ImageCount,
                StartedAt = start.At,
            };
            Insert(turn);
            _checklistStale = true;
            turn.LastSeq = start.Seq;
            turn.LastEventAt = start.At;
            EventCount++;
            return ApplyOutcome.Applied;
        }
        if (turnEvent.Seq <= turn.LastSeq) return ApplyOutcome.Ignored;
        if (turnEvent.Seq > turn.LastSeq + 1) return ApplyOutcome.Gap;
        turn.LastSeq = turnEvent.Seq;
        turn.LastEventAt = turnEvent.At;
        EventCount++;
        Fold(turn, turnEvent);
        return ApplyOutcome.Applied;
    }

    /// <summary>Shows a kontask in the turn with its requestId: on its tool call when one made it, else after the turn.</summary>
    public bool AddKontask(KontaskSummary kontask)
    {
        if (kontask.RequestId is null || !_byRequestId.TryGetValue(kontask.RequestId, out var turn)) return false;
        if (turn.CallsById.Values.Any(c => c.KontaskId == kontask.Id)) return false;
        var known = turn.OtherKontasks.FindIndex(k => k.Id == kontask.Id);
        if (known >= 0) turn.OtherKontasks[known] = kontask;
        else turn.OtherKontasks.Add(kontask);
        return true;
    }

    private void Insert(TranscriptTurn turn)
    {
        var at = _turns.Count;
        while (at > 0 && _turns[at - 1].StartedAt > turn.StartedAt) at--;
        _turns.Insert(at, turn);
        _byId[turn.TurnId] = turn;
        _byRequestId[turn.RequestId] = turn;
    }

    private void Fold(TranscriptTurn turn, TurnEvent turnEvent)
    {
        var items = turn.MutableItems;
        switch (turnEvent)
        {
            case TurnInit init:
                turn.Model ??= init.Model;
                turn.WorkingDirectory ??= init.Cwd;
                if (init.SlashCommands is { Count: > 0 } commands) turn.SlashCommands = commands;
                break;
            case TextDelta delta:
                Text(items, delta.MessageId, delta.Index).Builder.Append(delta.Text);
                break;
            case ThinkingDelta delta:
                Thinking(items, delta.MessageId, delta.Index).Builder.Append(delta.Text);
                break;
            case AssistantBlock { BlockType: "text" } block:
                var text = Text(StepsOf(turn, block), block.MessageId, block.BlockIndex);
                text.Builder.Clear().Append(block.Text);
                text.IsFinished = true;
                text.IsApiError = block.IsApiError;
                break;
            case AssistantBlock { BlockType: "thinking" } block:
                var thinking = Thinking(StepsOf(turn, block), block.MessageId, block.BlockIndex);
                thinking.Builder.Clear().Append(block.Text);
                thinking.IsFinished = true;
                break;
            case AssistantBlock { BlockType: "tool_use", ToolUseId: { } id } block:
                if (!turn.CallsById.ContainsKey(id))
                {
                    var made = new ToolCall { Key = "tool:" + id, ToolUseId = id, Name = block.ToolName ?? "tool", Input = block.Input, StartedAt = block.At };
                    StepsOf(turn, block).Add(made);
                    turn.CallsById[id] = made;
                    if (ToolReviews.ChecklistTools.Contains(made.Name)) turn.ChecklistCalls.Add(made);
                    if (items.Find(i => i is DecisionItem d && d.Decision.Request.ToolUseId == id) is DecisionItem waiting)
                    {
                        made.Decision = waiting.Decision;
                        items.Remove(waiting);
                    }
                    made.Review = ToolReviews.For(made);
                }
                break;
            case DecisionRequest { DecisionId.Length: > 0 } request when !turn.DecisionsById.ContainsKey(request.DecisionId):
                var decision = new TranscriptDecision(request);
                turn.DecisionsById[request.DecisionId] = decision;
                if (request.ToolUseId is { } toolUseId && turn.CallsById.GetValueOrDefault(toolUseId) is { } asked) asked.Decision = decision;
                else items.Add(new DecisionItem { Key = "decision:" + request.DecisionId, Decision = decision });
                break;
            case DecisionResult decided when turn.DecisionsById.GetValueOrDefault(decided.DecisionId) is { } open:
                open.Result = decided;
                open.State = decided.Outcome switch
                {
                    DecisionOutcome.Allowed => DecisionState.Allowed,
                    DecisionOutcome.Denied => DecisionState.Denied,
                    DecisionOutcome.Answered => DecisionState.Answered,
                    _ => DecisionState.Withdrawn,
                };
                break;
            case ToolResult result:
                if (turn.CallsById.GetValueOrDefault(result.ToolUseId) is { } call)
                {
                    call.Result = result.Content;
                    call.IsError = result.IsError;
                    call.ToolUseResult = result.ToolUseResult;
                    call.FinishedAt = result.At;
                    call.Review = ToolReviews.For(call);
                    if (turn.ChecklistCalls.Contains(call)) _checklistStale = true;
                    if (call.Name == KonuiTools.CreateTaskInClaude && !result.IsError && CreatedKontaskId(result.Content) is { } kontaskId)
                    {
                        // The store's watcher usually announced the kontask first; it now shows on its call, not twice.
                        call.KontaskId = kontaskId;
                        turn.OtherKontasks.RemoveAll(k => k.Id == kontaskId);
                    }
                }
                break;
            case ApiRetry retry:
                items.Add(new RetryNote
                {
                    Key = $"retry:{retry.Seq}",
                    Attempt = retry.Attempt,
                    MaxRetries = retry.MaxRetries,
                    ErrorStatus = retry.ErrorStatus,
                    Error = retry.Error,
                    RetryDelayMs = retry.RetryDelayMs,
                });
                break;
            case TurnStatus { Status: { Length: > 20 } note }:
                items.Add(new TurnNote { Key = $"note:{turnEvent.Seq}", Text = note });
                break;
            case TurnResult result:
                turn.Result = result;
                break;
            case TurnEnd end:
                turn.End = end;
                foreach (var unanswered in turn.DecisionsById.Values.Where(d => d.IsPending)) unanswered.State = DecisionState.Withdrawn;
                foreach (var open in items.Concat(turn.CallsById.Values.SelectMany(c => c.Steps)))
                {
                    if (open is AssistantText t) t.IsFinished = true;
                    if (open is ThinkingText th) th.IsFinished = true;
                }
                break;
        }
    }

    /// <summary>
    /// Where a block goes: a subagent's (the CLI marks it with the tool call that started the subagent) into that call's
    /// steps, the main conversation's into the turn.
    /// </summary>
    private static List<TranscriptItem> StepsOf(TranscriptTurn turn, AssistantBlock block) =>
        block.ParentToolUseId is { } parent && turn.CallsById.GetValueOrDefault(parent) is { } owner ? owner.MutableSteps : turn.MutableItems;

    private static AssistantText Text(List<TranscriptItem> items, string? messageId, int index)
    {
        var key = $"text:{messageId}:{index}";
        if (items.FindLast(i => i.Key == key) is AssistantText existing) return existing;
        var text = new AssistantText { Key = key };
        items.Add(text);
        return text;
    }

    private static ThinkingText Thinking(List<TranscriptItem> items, string? messageId, int index)
    {
        var key = $"thinking:{messageId}:{index}";
        if (items.FindLast(i => i.Key == key) is ThinkingText existing) return existing;
        var thinking = new ThinkingText { Key = key };
        items.Add(thinking);
        return thinking;
    }

    /// <summary>konui_create_task answers {"success":true,"task":{"id":...}}; the id is what the card shows.</summary>
    private static string? CreatedKontaskId(string content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.TryGetProperty("task", out var task) && task.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
