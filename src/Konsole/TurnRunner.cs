using System.Collections.Concurrent;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// Owns konsole's console sessions and turns. On start it reads the turn logs (closing turns a previous run left
/// running); on shutdown it ends running turns and stops the CLI processes. Ended turns keep their events in memory
/// for a while, then are read back from their logs.
/// </summary>
public sealed class TurnRunner(KonsoleOptions options, ClaudeCli cli, ClaudeTranscripts transcripts, TimeProvider time, ILogger<TurnRunner> logger)
    : IHostedService
{
    private const int RecentTurnsInMemory = 32;

    private readonly ConcurrentDictionary<string, Turn> _turns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClaudeSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Turn> _recentlyEnded = new();
    private readonly Lock _startGate = new();

    public string TurnsDirectory => Path.GetFullPath(Path.Combine(options.DataDir, "turns"));

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
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(_sessions.Values.Select(s => s.ShutdownAsync()));

    /// <summary>Starts a turn, or returns the session's running turn as <paramref name="running"/> when there is one.</summary>
    public Turn? TryStart(string? sessionId, string requestId, string prompt, IReadOnlyList<(string MediaType, string Base64)> images, out Turn? running)
    {
        Turn turn;
        ClaudeSession session;
        lock (_startGate)
        {
            var id = sessionId ?? Guid.NewGuid().ToString();
            session = _sessions.GetOrAdd(id, key => NewSession(key, hasConversation: sessionId is not null));
            running = session.Current;
            if (running is not null) return null;
            var turnId = "turn_" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
            turn = Turn.Begin(new TurnLog(Path.Combine(TurnsDirectory, turnId + ".jsonl")), time,
                new TurnStart(turnId, id, requestId, prompt, images.Count));
            _turns[turnId] = turn;
            running = session.TryClaim(turn);
            if (running is not null) return null;
        }
        _ = turn.Ended.ContinueWith(_ => Remember(turn), TaskScheduler.Default);
        _ = Task.Run(() => session.SendAsync(turn, images));
        return turn;
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

    /// <summary>Console sessions, newest first; with a search, those with a prompt containing it or an id starting with it.</summary>
    public IReadOnlyList<SessionSummary> Sessions(string? search = null) =>
        _turns.Values.GroupBy(t => t.SessionId)
            .Where(g => Matches(search, g.Key, g.Select(t => t.Start.Prompt)))
            .Select(g =>
            {
                var turns = g.OrderBy(t => t.StartedAt).ToList();
                var last = turns[^1];
                return new SessionSummary(
                    g.Key,
                    turns[0].Start.Prompt,
                    turns.Count,
                    turns[0].StartedAt,
                    last.End?.At ?? last.StartedAt,
                    turns.FirstOrDefault(t => !t.IsEnded)?.TurnId,
                    turns.Sum(t => t.End?.CostUsd ?? 0),
                    turns.Sum(t => t.Result?.Usage?.InputTokens ?? 0),
                    turns.Sum(t => t.Result?.Usage?.OutputTokens ?? 0));
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
            .Select(t => new ActiveTurn(t.TurnId, t.SessionId, t.State, t.StartedAt, (long)(now - t.StartedAt).TotalMilliseconds))
            .ToList();
        return new KonsoleStatus(cli.Status(), active, _sessions.Count);
    }

    private ClaudeSession NewSession(string sessionId, bool hasConversation) =>
        new(sessionId, hasConversation, options, cli, transcripts, logger);

    private void Remember(Turn turn)
    {
        _recentlyEnded.Enqueue(turn);
        while (_recentlyEnded.Count > RecentTurnsInMemory && _recentlyEnded.TryDequeue(out var old)) old.ReleaseEvents();
    }
}
