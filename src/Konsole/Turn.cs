using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// One prompt and everything that came of it. Events get their sequence number and time here, go to the turn's log,
/// and wake every reader. A turn ends exactly once: the first <see cref="TryEnd"/> wins, later ones are ignored.
/// A decision Claude Code asks for is decided once too: the first <see cref="TryDecide"/> wins, and a turn that ends
/// first withdraws the decisions still open, so every decision_request has its decision_result before turn_end.
/// </summary>
public sealed class Turn
{
    private readonly Lock _gate = new();
    private readonly TurnLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TurnTimingMeter _meter;
    private bool _logFailed;
    private List<TurnEvent>? _events;
    private TaskCompletionSource _changed = NewSignal();
    private readonly TaskCompletionSource _ended = NewSignal();
    private readonly Dictionary<string, DecisionRequest> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DecisionResult> _decided = new(StringComparer.Ordinal);

    private Turn(TurnLog log, TimeProvider time, ILogger logger, TurnStart start, DateTimeOffset startedAt, List<TurnEvent>? events)
    {
        _log = log;
        _time = time;
        _logger = logger;
        _meter = new TurnTimingMeter(startedAt);
        _events = events;
        Start = start;
        StartedAt = startedAt;
    }

    public TurnStart Start { get; }

    public string TurnId => Start.TurnId;

    public string SessionId => Start.SessionId;

    public DateTimeOffset StartedAt { get; }

    public TurnState State { get; private set; } = TurnState.Running;

    public long LastSeq { get; private set; }

    public TurnInit? Init { get; private set; }

    public TurnResult? Result { get; private set; }

    public TurnEnd? End { get; private set; }

    public bool IsEnded => End is not null;

    /// <summary>A new turn: its log starts with turn_start.</summary>
    internal static Turn Begin(TurnLog log, TimeProvider time, ILogger logger, TurnStart start)
    {
        var now = time.GetUtcNow();
        var turn = new Turn(log, time, logger, start, now, []);
        turn.Append(start with { At = now });
        return turn;
    }

    /// <summary>
    /// A turn from an earlier run, read from its log's ends. One that never ended was cut off by a restart:
    /// it is closed now, so no turn stays "running" forever.
    /// </summary>
    internal static Turn? Load(TurnLog log, TimeProvider time, ILogger logger)
    {
        var ends = log.ReadEnds();
        if (ends.Head.Count == 0 || ends.Head[0] is not TurnStart start)
        {
            logger.LogWarning("{Log} does not start with turn_start; ignored", log.Path);
            return null;
        }
        var turn = new Turn(log, time, logger, start, start.At, null)
        {
            State = TurnState.Ended,
            Init = ends.Head.OfType<TurnInit>().FirstOrDefault(),
            Result = ends.Result,
            End = ends.End,
            LastSeq = ends.LastSeq,
        };
        if (turn.End is not null) turn._ended.TrySetResult();
        else
        {
            turn.State = TurnState.Running;
            turn.TryEnd(false, "interrupted: konsole restarted");
            turn.ReleaseEvents();
        }
        return turn;
    }

    public TurnEvent Append(TurnEvent turnEvent)
    {
        lock (_gate)
        {
            if (IsEnded) return turnEvent;
            var stamped = turnEvent with { Seq = LastSeq + 1, At = turnEvent.At == default ? _time.GetUtcNow() : turnEvent.At };
            var line = Storable(ref stamped);
            try
            {
                _log.Append(line);
            }
            catch (IOException ex)
            {
                // The turn goes on and ends in memory (readers still get it); only a later replay from the log misses it.
                if (!_logFailed) _logger.LogError("Turn {Turn}'s log {Log} could not be written from event {Seq} ({Problem}): the turn goes on, but a replay misses what was not written", TurnId, _log.Path, stamped.Seq, ex.Message);
                _logFailed = true;
            }
            LastSeq = stamped.Seq;
            _events?.Add(stamped);
            _meter.Observe(stamped);
            switch (stamped)
            {
                case TurnInit init:
                    Init ??= init;
                    break;
                case TurnResult result:
                    Result = result;
                    break;
                case DecisionRequest request when request.DecisionId.Length > 0:
                    _pending[request.DecisionId] = request;
                    break;
                case DecisionResult decided:
                    _pending.Remove(decided.DecisionId);
                    _decided[decided.DecisionId] = decided;
                    break;
                case TurnEnd end:
                    End = end;
                    State = TurnState.Ended;
                    _log.Dispose();
                    _ended.TrySetResult();
                    break;
            }
            var changed = _changed;
            _changed = NewSignal();
            changed.TrySetResult();
            return stamped;
        }
    }

    /// <summary>
    /// The event as a log line. A CLI line that JSON cannot write back (a lone UTF-16 surrogate from output cut in the
    /// middle of an emoji) becomes a raw event that says so, rather than breaking the turn.
    /// </summary>
    private static byte[] Storable(ref TurnEvent stamped)
    {
        try
        {
            return TurnEventJson.SerializeToUtf8(stamped);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            stamped = new RawEvent(null, $"Konsole could not store a line from Claude Code: {(ex.InnerException ?? ex).Message}") { Seq = stamped.Seq, At = stamped.At };
            return TurnEventJson.SerializeToUtf8(stamped);
        }
    }

    /// <summary>Ends the turn with its timing, unless it has ended already. Returns whether this call ended it.</summary>
    public bool TryEnd(bool success, string? error, double? costUsd = null)
    {
        lock (_gate)
        {
            if (IsEnded) return false;
            foreach (var open in _pending.Keys.ToList())
            {
                Append(new DecisionResult(open, DecisionOutcome.Withdrawn, null, null, null, null, null, false, KonsoleBy,
                    $"the turn ended before anyone answered: {error ?? "it finished"}"));
            }
            var now = _time.GetUtcNow();
            Append(new TurnEnd(success, error, _meter.Finish(now), costUsd, _meter.ToolCallsByName.Count > 0 ? new Dictionary<string, int>(_meter.ToolCallsByName) : null) { At = now });
            return true;
        }
    }

    /// <summary>Who decided when no one answered: konsole itself (a timeout, a stop, the turn's end).</summary>
    public const string KonsoleBy = "konsole";

    /// <summary>
    /// Records <paramref name="result"/> when its decision is still open, and returns true with the recorded event;
    /// else returns false with how it was decided before (null when the turn never asked it, or has let go of it).
    /// </summary>
    public bool TryDecide(DecisionResult result, out DecisionResult? recorded)
    {
        lock (_gate)
        {
            if (!_pending.ContainsKey(result.DecisionId) || IsEnded)
            {
                recorded = _decided.GetValueOrDefault(result.DecisionId);
                return false;
            }
            recorded = Append(result) as DecisionResult ?? result;
            return true;
        }
    }

    /// <summary>The open decision <paramref name="decisionId"/>, or null when it is decided (see <paramref name="decided"/>) or unknown.</summary>
    public DecisionRequest? FindOpenDecision(string decisionId, out DecisionResult? decided)
    {
        lock (_gate)
        {
            decided = _decided.GetValueOrDefault(decisionId);
            return _pending.GetValueOrDefault(decisionId);
        }
    }

    /// <summary>The decisions Claude Code waits for in this turn, oldest first.</summary>
    public IReadOnlyList<PendingDecision> PendingDecisions()
    {
        lock (_gate)
        {
            return _pending.Values.OrderBy(r => r.Seq).Select(r => new PendingDecision(r.DecisionId, TurnId, r.ToolName, r.ToolUseId, r.At)).ToList();
        }
    }

    /// <summary>Completes when the turn has ended.</summary>
    public Task Ended => _ended.Task;

    internal void PromptWritten() => _meter.PromptWritten(_time.GetUtcNow());

    internal void MarkStopping()
    {
        lock (_gate)
        {
            if (!IsEnded) State = TurnState.Stopping;
        }
    }

    /// <summary>Events after <paramref name="seq"/>: from memory while the turn is recent, else from its log.</summary>
    public IReadOnlyList<TurnEvent> EventsAfter(long seq, ILogger logger)
    {
        lock (_gate)
        {
            if (_events is not null) return _events.Count > seq ? _events.Skip((int)seq).ToList() : [];
        }
        return _log.ReadAll(logger).Where(e => e.Seq > seq).ToList();
    }

    /// <summary>Completes when an event after <paramref name="seq"/> exists or the turn has ended.</summary>
    public Task WaitForEventAfterAsync(long seq, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (LastSeq > seq || IsEnded) return Task.CompletedTask;
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Drops the in-memory copy of an ended turn's events; its log still has them.</summary>
    internal void ReleaseEvents()
    {
        lock (_gate)
        {
            if (IsEnded) _events = null;
        }
    }

    public TurnSummary Summary()
    {
        lock (_gate)
        {
            return new TurnSummary(TurnId, SessionId, Start.RequestId, Start.Prompt, StartedAt, End?.At, State, End?.Success,
                End?.Error, Init?.Model, End?.CostUsd, Result?.Usage, End?.Timing, LastSeq, End?.ToolCalls,
                _pending.Count > 0 ? PendingDecisions() : null);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
