using System.Collections.Concurrent;
using Konui.Core;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// Owns konsole's console sessions and turns. On start it reads the turn logs (closing turns a previous run left
/// running) and the session logs (mode, model, rules, queued prompts); on shutdown it ends running turns and stops the
/// CLI processes. Ended turns keep their events in memory for a while, then are read back from their logs. A session's
/// queued prompts start one by one as its turns end.
/// </summary>
public sealed class TurnRunner(KonsoleOptions options, ClaudeCli cli, ClaudeTranscripts transcripts, SessionDefaultsFile defaults, SpareCli spares,
    TimeProvider time, ILogger<TurnRunner> logger)
    : IHostedService
{
    private const int RecentTurnsInMemory = 32;

    private readonly ConcurrentDictionary<string, Turn> _turns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClaudeSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Turn> _recentlyEnded = new();
    private readonly Lock _startGate = new();
    private bool _stopping;

    public string TurnsDirectory => Path.GetFullPath(Path.Combine(options.DataDir, "turns"));

    public string SessionsDirectory => Path.GetFullPath(Path.Combine(options.DataDir, "sessions"));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cli.Running.StopLeftovers(options.StopGrace, logger);
        Directory.CreateDirectory(TurnsDirectory);
        var loaded = 0;
        foreach (var path in Directory.EnumerateFiles(TurnsDirectory, "*.jsonl"))
        {
            try
            {
                if (Turn.Load(new TurnLog(path), time, logger) is not { } turn) continue;
                _turns[turn.TurnId] = turn;
                loaded++;
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Reading turn log {Log} failed; skipped", path);
            }
        }
        foreach (var session in _turns.Values.GroupBy(t => t.SessionId))
        {
            _sessions[session.Key] = NewSession(session.Key, hasConversation: session.Any(t => t.Init is not null));
        }
        logger.LogInformation("Konsole read {Count} turns in {Sessions} sessions from {Directory}", loaded, _sessions.Count, TurnsDirectory);
        _ = Task.Run(cli.Status, CancellationToken.None);
        // Prompts that were queued when konsole stopped go on now: the turns they waited behind have ended.
        foreach (var session in _sessions.Values.Where(s => s.Queue.Count > 0)) StartNextQueued(session);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Queued prompts wait for the next start: the turns konsole ends now must not start them on CLIs that are closing.
        lock (_startGate) _stopping = true;
        await Task.WhenAll(_sessions.Values.Select(s => s.ShutdownAsync()));
    }

    /// <summary>
    /// Starts a turn. When the session is busy (a turn runs, or prompts wait in its queue), <paramref name="queue"/>
    /// puts the prompt at the end of the queue; without it the prompt is refused and the outcome names what runs.
    /// A new session (no <paramref name="sessionId"/>) runs in <paramref name="folder"/> when one is given (checked by
    /// <see cref="ProjectFolders"/>), with <paramref name="model"/> and <paramref name="mode"/> when given, else the
    /// defaults for new sessions; on the spare CLI when one is ready for exactly that.
    /// </summary>
    internal PromptOutcome Start(string? sessionId, string requestId, string prompt, IReadOnlyList<TurnImage> images, bool queue,
        string? folder = null, string? model = null, string? mode = null)
    {
        lock (_startGate)
        {
            var spareKey = sessionId is null ? SpareKey.For(options, defaults.Current, folder, model, mode) : null;
            var spare = spareKey is null ? null : spares.Take(spareKey);
            var id = sessionId ?? spare?.SessionId ?? Ids.Session();
            if (!_sessions.TryGetValue(id, out var session))
            {
                session = NewSession(id, hasConversation: sessionId is not null);
                if (folder is not null) session.Settings.FolderChosen(folder);
                _sessions[id] = session;
            }
            if (spareKey is not null)
            {
                session.Settings.ModeIs(spareKey.Mode);
                if (spareKey.Model is not null && spareKey.Model != options.Model) session.Settings.ModelChosen(spareKey.Model);
                if (spare is not null) session.Adopt(spare.Process);
            }
            var running = session.Current;
            if (running is not null || session.Queue.Count > 0)
            {
                return queue
                    ? new PromptOutcome(null, session.Queue.Enqueue(id, requestId, prompt, images), running, id)
                    : new PromptOutcome(null, null, running, id);
            }
            var turn = Begin(session, requestId, prompt, images);
            // The next spare is made as this new session was (with project folders: in the most recently used one).
            if (spareKey is not null) spares.ReplaceAfter(turn, spareKey);
            return new PromptOutcome(turn, null, null, id);
        }
    }

    /// <summary>Starts a turn on an idle session; call under the start gate.</summary>
    private Turn Begin(ClaudeSession session, string requestId, string prompt, IReadOnlyList<TurnImage> images)
    {
        var turnId = Ids.Turn(time);
        var turn = Turn.Begin(new TurnLog(Path.Combine(TurnsDirectory, turnId + ".jsonl")), time, logger,
            new TurnStart(turnId, session.SessionId, requestId, prompt, images.Count));
        _turns[turnId] = turn;
        session.TryClaim(turn);
        _ = turn.Ended.ContinueWith(_ =>
        {
            Remember(turn);
            StartNextQueued(session);
        }, TaskScheduler.Default);
        var cliImages = images.Select(i => (i.MediaType, i.Base64)).ToList();
        _ = Task.Run(() => session.SendAsync(turn, cliImages));
        return turn;
    }

    /// <summary>The session's next queued prompt becomes its turn, when no turn runs.</summary>
    private void StartNextQueued(ClaudeSession session)
    {
        lock (_startGate)
        {
            if (_stopping || session.Current is not null || session.Queue.TakeNext() is not { } next) return;
            var turn = Begin(session, next.Prompt.RequestId, next.Prompt.Prompt, next.Images);
            session.Queue.Started(next.Prompt.QueuedId, turn.TurnId);
            logger.LogInformation("Queued prompt {Queued} of session {Session} started as turn {Turn}", next.Prompt.QueuedId, session.SessionId, turn.TurnId);
        }
    }

    public Turn? Find(string turnId) => _turns.GetValueOrDefault(turnId);

    /// <summary>Turns started in [from, to), oldest first.</summary>
    public IEnumerable<Turn> Turns(DateTimeOffset from, DateTimeOffset to) =>
        _turns.Values.Where(t => t.StartedAt >= from && t.StartedAt < to).OrderBy(t => t.StartedAt);

    public IEnumerable<Turn> FindByRequestId(string requestId) =>
        _turns.Values.Where(t => t.Start.RequestId == requestId).OrderBy(t => t.StartedAt);

    /// <summary>Stops a running turn; returns false when the turn is unknown.</summary>
    public bool Stop(string turnId)
    {
        if (Find(turnId) is not { } turn) return false;
        if (turn.IsEnded) return true;
        if (_sessions.TryGetValue(turn.SessionId, out var session)) _ = Task.Run(() => session.StopAsync(turn));
        else turn.TryEnd(false, "stopped");
        return true;
    }

    /// <summary>Answers an open decision of a turn; the first answer wins.</summary>
    internal async Task<AnswerOutcome> AnswerAsync(string turnId, string decisionId, DecisionAnswer answer, string by)
    {
        if (Find(turnId) is not { } turn) return AnswerOutcome.Refused(StatusCodes.Status404NotFound, $"There is no turn {turnId}.");
        if (turn.FindOpenDecision(decisionId, out var decided) is not null && _sessions.TryGetValue(turn.SessionId, out var session))
        {
            var attempt = await session.AnswerAsync(decisionId, answer, by);
            if (attempt.Error is { } error) return AnswerOutcome.Refused(StatusCodes.Status400BadRequest, error);
            if (attempt.Decided) return new AnswerOutcome(StatusCodes.Status200OK, null, attempt.Recorded);
            decided = attempt.Recorded;
            if (decided is null) turn.FindOpenDecision(decisionId, out decided);
        }
        decided ??= turn.EventsAfter(0, logger).OfType<DecisionResult>().FirstOrDefault(r => r.DecisionId == decisionId);
        if (decided is not null) return new AnswerOutcome(StatusCodes.Status409Conflict, AlreadyDecided(decided), decided);
        return turn.IsEnded && turn.EventsAfter(0, logger).OfType<DecisionRequest>().Any(r => r.DecisionId == decisionId)
            ? AnswerOutcome.Refused(StatusCodes.Status409Conflict, $"Turn {turnId} has ended; decision {decisionId} is closed.")
            : AnswerOutcome.Refused(StatusCodes.Status404NotFound, $"Turn {turnId} has no decision {decisionId}.");
    }

    private static string AlreadyDecided(DecisionResult result)
    {
        var how = result.Outcome switch
        {
            DecisionOutcome.Allowed => "allowed",
            DecisionOutcome.Denied => "denied",
            DecisionOutcome.Answered => "answered",
            _ => "withdrawn",
        };
        var why = result.Reason is { } reason ? $" ({reason})" : "";
        return $"This decision was already {how} by {result.By ?? "someone"} at {result.At:O}{why}: the first answer counts.";
    }

    /// <summary>A console session as it runs now; null for one konsole does not know.</summary>
    public SessionStatus? Session(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return null;
        var running = session.Current;
        var turns = TurnsOf(sessionId);
        return new SessionStatus(sessionId, session.Settings.PermissionMode ?? options.PermissionMode ?? PermissionModes.Default,
            session.Settings.Model ?? options.Model, session.Settings.Rules, session.Queue.Items, running?.TurnId,
            running?.PendingDecisions() ?? [], session.CliRunning, FolderOf(session, turns),
            turns.LastOrDefault(t => t.Init?.SlashCommands is { Count: > 0 })?.Init!.SlashCommands ?? [], session.BypassAllowed);
    }

    /// <summary>
    /// The folder a session runs in: the project folder it was started in, else where its turns ran (their init's
    /// cwd), else where Claude Code's store says it was made, else the configured one.
    /// </summary>
    public string FolderOf(string sessionId) =>
        FolderOf(_sessions.GetValueOrDefault(sessionId), TurnsOf(sessionId), transcripts.Find(sessionId)?.Session.WorkingDirectory);

    private string FolderOf(ClaudeSession? session, IReadOnlyList<Turn> turns, string? stored = null) =>
        session?.Settings.WorkingDirectory
        ?? turns.LastOrDefault(t => t.Init?.Cwd is not null)?.Init!.Cwd
        ?? stored
        ?? options.WorkingDirectory
        ?? Directory.GetCurrentDirectory();

    /// <summary>Whether konsole or Claude Code's store knows the session.</summary>
    public bool Knows(string sessionId) => _sessions.ContainsKey(sessionId) || transcripts.Find(sessionId) is not null;

    /// <summary>The folders sessions ran in, with when each last did: konsole's sessions and those only Claude Code's store has.</summary>
    public IEnumerable<(string Folder, DateTimeOffset LastUsed)> RecentFolders() =>
        Sessions().Where(s => s.WorkingDirectory is not null).Select(s => (s.WorkingDirectory!, s.LastActivity))
            .Concat(CliSessions().Select(s => (s.WorkingDirectory, s.LastActivity)));

    private List<Turn> TurnsOf(string sessionId) => _turns.Values.Where(t => t.SessionId == sessionId).OrderBy(t => t.StartedAt).ToList();

    internal async Task<SessionOutcome> SetModeAsync(string sessionId, string mode)
    {
        if (!PermissionModes.All.Contains(mode, StringComparer.Ordinal))
        {
            return SessionOutcome.Refused(StatusCodes.Status400BadRequest, $"mode must be one of {string.Join(", ", PermissionModes.All)}, not \"{mode}\".");
        }
        if (!_sessions.TryGetValue(sessionId, out var session)) return UnknownSession(sessionId);
        var (applied, error) = await session.SetModeAsync(mode);
        return Changed(sessionId, applied, error);
    }

    internal async Task<SessionOutcome> SetModelAsync(string sessionId, string model)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return UnknownSession(sessionId);
        var (applied, error) = await session.SetModelAsync(model);
        return Changed(sessionId, applied, error);
    }

    internal SessionOutcome Revoke(string sessionId, string ruleId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return UnknownSession(sessionId);
        return session.Revoke(ruleId) is { } applied
            ? Changed(sessionId, applied, null)
            : SessionOutcome.Refused(StatusCodes.Status404NotFound, $"Session {sessionId} has no rule {ruleId}: it was revoked already, or never allowed.");
    }

    /// <summary>The session's queue, in order; null for a session konsole does not know.</summary>
    public IReadOnlyList<QueuedPrompt>? Queue(string sessionId) => _sessions.TryGetValue(sessionId, out var session) ? session.Queue.Items : null;

    internal (QueuedPrompt? Edited, string? Error) EditQueued(string sessionId, string queuedId, string prompt)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return (null, $"There is no session {sessionId}.");
        return session.Queue.Edit(queuedId, prompt) is { } edited ? (edited, null) : (null, NotQueued(sessionId, queuedId));
    }

    internal string? RemoveQueued(string sessionId, string queuedId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return $"There is no session {sessionId}.";
        return session.Queue.Remove(queuedId) ? null : NotQueued(sessionId, queuedId);
    }

    private string NotQueued(string sessionId, string queuedId) =>
        FindStartedQueued(sessionId, queuedId) is { } started
            ? $"Prompt {queuedId} is no longer queued: it started as turn {started}."
            : $"Session {sessionId} has no queued prompt {queuedId}.";

    private string? FindStartedQueued(string sessionId, string queuedId) =>
        new SessionLog(SessionLogPath(sessionId)).ReadAll(logger).OfType<QueuedLeft>().FirstOrDefault(l => l.QueuedId == queuedId)?.TurnId;

    private SessionOutcome Changed(string sessionId, string? applied, string? error) =>
        error is not null
            ? SessionOutcome.Refused(StatusCodes.Status409Conflict, error)
            : new SessionOutcome(StatusCodes.Status200OK, null, new SessionChange(Session(sessionId)!, applied!));

    private static SessionOutcome UnknownSession(string sessionId) =>
        SessionOutcome.Refused(StatusCodes.Status404NotFound, $"There is no session {sessionId}: start one with a prompt first.");

    /// <summary>Console sessions, newest first; with a search, those with a prompt containing it or an id starting with it.</summary>
    public IReadOnlyList<SessionSummary> Sessions(string? search = null) =>
        _turns.Values.GroupBy(t => t.SessionId)
            .Where(g => Matches(search, g.Key, g.Select(t => t.Start.Prompt)))
            .Select(g =>
            {
                var turns = g.OrderBy(t => t.StartedAt).ToList();
                var last = turns[^1];
                var session = _sessions.GetValueOrDefault(g.Key);
                return new SessionSummary(
                    g.Key,
                    turns[0].Start.Prompt,
                    turns.Count,
                    turns[0].StartedAt,
                    last.End?.At ?? last.StartedAt,
                    turns.FirstOrDefault(t => !t.IsEnded)?.TurnId,
                    turns.Sum(t => t.End?.CostUsd ?? 0),
                    turns.Sum(t => t.Result?.Usage?.InputTokens ?? 0),
                    turns.Sum(t => t.Result?.Usage?.OutputTokens ?? 0),
                    turns.Where(t => !t.IsEnded).Sum(t => t.PendingDecisions().Count),
                    session?.Queue.Count ?? 0,
                    session?.Settings.PermissionMode ?? options.PermissionMode ?? PermissionModes.Default,
                    session?.Settings.Model ?? options.Model,
                    FolderOf(session, turns));
            }).OrderByDescending(s => s.LastActivity).ToList();

    /// <summary>A session's turns, oldest first: none for a session only Claude Code's store has; null for one nobody knows.</summary>
    public IReadOnlyList<TurnSummary>? SessionTurns(string sessionId)
    {
        var turns = _turns.Values.Where(t => t.SessionId == sessionId).OrderBy(t => t.StartedAt).Select(t => t.Summary()).ToList();
        return turns.Count == 0 && !_sessions.ContainsKey(sessionId) && transcripts.Find(sessionId) is null ? null : turns;
    }

    /// <summary>Sessions in Claude Code's own store that konsole has no turns of, newest first, searched like <see cref="Sessions"/>.</summary>
    public IReadOnlyList<CliSessionSummary> CliSessions(string? search = null) =>
        transcripts.Sessions()
            .Where(s => !_sessions.ContainsKey(s.Session.SessionId) && Matches(search, s.Session.SessionId, s.Prompts.Select(p => p.Text)))
            .Select(s => s.Session)
            .ToList();

    /// <summary>A session from Claude Code's own store, with its prompts; null when the store has none by that id.</summary>
    public CliSessionDetail? CliSession(string sessionId) => transcripts.Find(sessionId);

    private static bool Matches(string? search, string sessionId, IEnumerable<string> prompts)
    {
        if (string.IsNullOrWhiteSpace(search)) return true;
        var text = search.Trim();
        return sessionId.StartsWith(text, StringComparison.OrdinalIgnoreCase) || prompts.Any(p => p.Contains(text, StringComparison.OrdinalIgnoreCase));
    }

    public KonsoleStatus Status()
    {
        var now = time.GetUtcNow();
        var active = _turns.Values.Where(t => !t.IsEnded).OrderBy(t => t.StartedAt)
            .Select(t => new ActiveTurn(t.TurnId, t.SessionId, t.State, t.StartedAt, (long)(now - t.StartedAt).TotalMilliseconds,
                t.PendingDecisions() is { Count: > 0 } pending ? pending : null, FolderOf(_sessions.GetValueOrDefault(t.SessionId), TurnsOf(t.SessionId))))
            .ToList();
        return new KonsoleStatus(cli.Status(), active, _sessions.Count);
    }

    /// <summary>A session konsole runs, with what its log says it settled.</summary>
    private ClaudeSession NewSession(string sessionId, bool hasConversation)
    {
        var log = new SessionLog(SessionLogPath(sessionId));
        var settings = new SessionSettings(log, options.PermissionMode ?? PermissionModes.Default, time, logger);
        var queue = new PromptQueue(log, time, logger);
        foreach (var record in log.ReadAll(logger))
        {
            settings.Replay(record);
            queue.Replay(record);
        }
        return new ClaudeSession(sessionId, hasConversation, options, cli, transcripts, settings, queue, time, logger);
    }

    /// <summary>A session no prompt has named before: it starts with the defaults for new sessions as they are now, and keeps them.</summary>

    private string SessionLogPath(string sessionId) => Path.Combine(SessionsDirectory, sessionId + ".jsonl");

    private void Remember(Turn turn)
    {
        _recentlyEnded.Enqueue(turn);
        while (_recentlyEnded.Count > RecentTurnsInMemory && _recentlyEnded.TryDequeue(out var old)) old.ReleaseEvents();
    }
}
