using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Konui.Core.Insights;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Blazor.Tests;

/// <summary>
/// Konsole's HTTP API as a component test needs it: turns it knows (with their events, served as SSE), sessions,
/// status, and the turns started and stopped through it, recorded. Everything Konui does goes through its real KonsoleClient.
/// </summary>
public sealed class FakeKonsole : HttpMessageHandler, IHttpClientFactory
{
    public ConcurrentQueue<TurnRequest> Started { get; } = new();

    /// <summary>The turns asked to stop, by id.</summary>
    public ConcurrentQueue<string> Stopped { get; } = new();

    public Dictionary<string, List<TurnSummary>> TurnsByRequestId { get; } = [];

    public Dictionary<string, List<TurnEvent>> EventsByTurnId { get; } = [];

    public List<SessionSummary> Sessions { get; } = [];

    /// <summary>Every turn, for the date-range listing (GET /api/konsole/turns?from=&amp;to=) and the telemetry over it.</summary>
    public List<TurnSummary> AllTurns { get; } = [];

    public Dictionary<string, List<TurnSummary>> TurnsBySession { get; } = [];

    /// <summary>Sessions only Claude Code's own store has.</summary>
    public List<CliSessionDetail> CliSessions { get; } = [];

    /// <summary>When set, konsole does not answer: every request fails with this message.</summary>
    public string? Unreachable { get; set; }

    /// <summary>When set, konsole takes every request and never answers it, until the caller gives up.</summary>
    public bool Silent { get; set; }

    /// <summary>How many requests konsole took without answering while <see cref="Silent"/>.</summary>
    public int UnansweredRequests => Volatile.Read(ref _unanswered);

    private int _unanswered;

    /// <summary>How many reads of a turn's events failed because konsole was <see cref="Unreachable"/>.</summary>
    public int RefusedEventReads => Volatile.Read(ref _refused);

    private int _refused;

    /// <summary>When set, new turns are refused with 409 and this message.</summary>
    public string? Busy { get; set; }

    /// <summary>How many of the next session listings fail with 503, as a konsole in trouble answers.</summary>
    public int SessionListingFailures { get; set; }

    /// <summary>The answers to decisions, in the order they came: turn, decision and what was sent.</summary>
    public ConcurrentQueue<(string TurnId, string DecisionId, DecisionAnswer Answer)> Answers { get; } = new();

    /// <summary>When set, an answer is refused with 409: the decision was decided already, like this.</summary>
    public DecisionResult? DecidedAlready { get; set; }

    /// <summary>How each session runs now (GET /api/konsole/sessions/{id}), by id.</summary>
    public ConcurrentDictionary<string, SessionStatus> SessionStatuses { get; } = new();

    /// <summary>The changes asked of sessions, as "mode acceptEdits", "model sonnet", "revoke rule_1", "edit q_1 text", "remove q_1".</summary>
    public ConcurrentQueue<string> SessionChanges { get; } = new();

    /// <summary>When set, a prompt sent with queue: true waits behind this running turn in its session's queue (<see cref="SessionStatuses"/>).</summary>
    public string? QueueBehind { get; set; }

    /// <summary>How new sessions start (GET and PUT /api/konsole/defaults); a PUT with a model that is not a name is refused, as konsole does.</summary>
    public SessionDefaults Defaults { get; set; } = new(PermissionModes.Default, null);

    public KonsoleStatus Status { get; set; } = new(new ClaudeCliStatus("claude", true, "2.1.197 (Claude Code)", null), [], 0);

    /// <summary>The project folders (GET /api/konsole/projects); none by default: projects are not configured.</summary>
    public ProjectList Projects { get; set; } = new([], []);

    /// <summary>The filters the project folders were asked with, in order ("" for none).</summary>
    public ConcurrentQueue<string> ProjectFilters { get; } = new();

    /// <summary>What differs from HEAD in each session's repository (GET /api/konsole/sessions/{id}/changes), by session id.</summary>
    public ConcurrentDictionary<string, SessionChanges> Changes { get; } = new();

    /// <summary>How many times a session's changes were asked for.</summary>
    public int ChangesAsked => Volatile.Read(ref _changesAsked);

    /// <summary>The files in each session's folder, for '@' completions (GET /api/konsole/sessions/{id}/files?prefix=), by session id.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<FileCompletion>> Files { get; } = new();

    /// <summary>The prefixes files were asked for, in order.</summary>
    public ConcurrentQueue<string> FilePrefixes { get; } = new();

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://konsole.test/") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Unreachable is not null)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal)) Interlocked.Increment(ref _refused);
            throw new HttpRequestException(Unreachable);
        }
        if (Silent)
        {
            Interlocked.Increment(ref _unanswered);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        var path = request.RequestUri!.AbsolutePath.TrimStart('/');
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
        if (request.Method == HttpMethod.Post && path == "api/konsole/turns")
        {
            var turn = (await request.Content!.ReadFromJsonAsync<TurnRequest>(KonsoleJson.Options, cancellationToken))!;
            if (Busy is not null) return Json(new KonsoleError(Busy, "turn_running"), HttpStatusCode.Conflict);
            if (turn.Queue && QueueBehind is { } running && turn.SessionId is { } busySession)
            {
                var queued = new QueuedPrompt($"q_{Interlocked.Increment(ref _queued)}", busySession, turn.RequestId ?? $"req_q{_queued}", turn.Prompt, turn.Images?.Count ?? 0, DateTimeOffset.UtcNow);
                UpdateSession(busySession, s => s with { Queue = [.. s.Queue, queued], RunningTurnId = running });
                return Json(new PromptAccepted(null, queued.RequestId, busySession, queued), HttpStatusCode.Accepted);
            }
            Started.Enqueue(turn);
            return Json(new TurnAccepted($"turn_{Started.Count}", turn.RequestId ?? $"req_{Started.Count}", turn.SessionId ?? "session-new"), HttpStatusCode.Accepted);
        }
        if (path == "api/konsole/turns" && query["requestId"] is { } requestId)
        {
            return Json(TurnsByRequestId.GetValueOrDefault(requestId) ?? []);
        }
        if (path == "api/konsole/turns" && query["from"] is { } from && query["to"] is { } to)
        {
            var (start, end) = (DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
            return Json(AllTurns.Where(t => t.StartedAt >= start && t.StartedAt < end).ToList());
        }
        if (path == "api/konsole/telemetry" && query["from"] is { } since && query["to"] is { } until)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(query["zone"] ?? "UTC");
            var (start, end) = (DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture));
            return Json(Konui.Core.Insights.Telemetry.Compute(AllTurns, start, end, zone, query["session"]));
        }
        if (path == "api/konsole/status") return Json(Status);
        if (path == "api/konsole/defaults" && request.Method == HttpMethod.Get) return Json(Defaults);
        if (path == "api/konsole/defaults" && request.Method == HttpMethod.Put)
        {
            var wanted = (await request.Content!.ReadFromJsonAsync<SessionDefaults>(KonsoleJson.Options, cancellationToken))!;
            if (wanted.Model?.Contains(' ', StringComparison.Ordinal) == true) return Json(new KonsoleError("model must be 1 to 200 letters, digits and - _ . : / @ [ ]"), HttpStatusCode.BadRequest);
            return Json(Defaults = wanted);
        }
        if (path == "api/konsole/projects")
        {
            var filter = query["filter"] ?? "";
            ProjectFilters.Enqueue(filter);
            return Json(Projects with { Folders = Projects.Folders.Where(f => f.Path.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList() });
        }
        var search = query["search"];
        if (path == "api/konsole/sessions")
        {
            if (SessionListingFailures > 0)
            {
                SessionListingFailures--;
                return Json(new KonsoleError("Konsole is restarting."), HttpStatusCode.ServiceUnavailable);
            }
            return Json(Sessions.Where(x => Matches(search, x.SessionId, [x.FirstPrompt, .. TurnsBySession.GetValueOrDefault(x.SessionId)?.Select(t => t.Prompt) ?? []])).ToList());
        }
        if (path == "api/konsole/cli-sessions")
        {
            return Json(CliSessions.Where(x => Matches(search, x.Session.SessionId, x.Prompts.Select(p => p.Text))).Select(x => x.Session).ToList());
        }
        var parts = path.Split('/');
        if (request.Method == HttpMethod.Post && parts is ["api", "konsole", "turns", var answeredTurn, "decisions", var decisionId])
        {
            var answer = (await request.Content!.ReadFromJsonAsync<DecisionAnswer>(KonsoleJson.Options, cancellationToken))!;
            if (DecidedAlready is { } decided) return Json(new DecisionRefused($"The decision was already {decided.Outcome.ToString().ToLowerInvariant()} by {decided.By}.", decided), HttpStatusCode.Conflict);
            Answers.Enqueue((answeredTurn, decisionId, answer));
            var outcome = answer.Behavior == DecisionResult.Deny ? DecisionOutcome.Denied : answer.UpdatedInput is not null ? DecisionOutcome.Answered : DecisionOutcome.Allowed;
            return Json(new DecisionResult(decisionId, outcome, answer.Behavior, answer.Message, answer.Remember, answer.UpdatedInput, null, false, answer.Client, null) { At = DateTimeOffset.UtcNow });
        }
        if (parts is ["api", "konsole", "sessions", var changed, "mode" or "model"] && request.Method == HttpMethod.Post)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement;
            var what = parts[4];
            var value = body.GetProperty(what).GetString()!;
            SessionChanges.Enqueue($"{what} {value}");
            var status = UpdateSession(changed, s => what == "mode" ? s with { PermissionMode = value } : s with { Model = value });
            return Json(new SessionChange(status, SessionChange.Now));
        }
        if (parts is ["api", "konsole", "sessions", var revokedIn, "rules", var ruleId] && request.Method == HttpMethod.Delete)
        {
            SessionChanges.Enqueue($"revoke {ruleId}");
            var status = UpdateSession(revokedIn, s => s with { Rules = s.Rules.Where(r => r.RuleId != ruleId).ToList() });
            return Json(new SessionChange(status, SessionChange.AfterRunningTurn));
        }
        if (parts is ["api", "konsole", "sessions", var queuedIn, "queue", var queuedId] && request.Method == HttpMethod.Put)
        {
            var prompt = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("prompt").GetString()!;
            SessionChanges.Enqueue($"edit {queuedId} {prompt}");
            var status = UpdateSession(queuedIn, s => s with { Queue = s.Queue.Select(q => q.QueuedId == queuedId ? q with { Prompt = prompt } : q).ToList() });
            return Json(status.Queue.Single(q => q.QueuedId == queuedId));
        }
        if (parts is ["api", "konsole", "sessions", var removedIn, "queue", var removedId] && request.Method == HttpMethod.Delete)
        {
            SessionChanges.Enqueue($"remove {removedId}");
            UpdateSession(removedIn, s => s with { Queue = s.Queue.Where(q => q.QueuedId != removedId).ToList() });
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
        if (parts is ["api", "konsole", "sessions", var statusOf] && request.Method == HttpMethod.Get)
        {
            return SessionStatuses.TryGetValue(statusOf, out var status) ? Json(status) : Json(new KonsoleError($"There is no session {statusOf}."), HttpStatusCode.NotFound);
        }
        if (request.Method == HttpMethod.Post && parts is ["api", "konsole", "turns", var stopped, "stop"])
        {
            Stopped.Enqueue(stopped);
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
        if (parts is ["api", "konsole", "cli-sessions", var cliSessionId])
        {
            return CliSessions.Find(x => x.Session.SessionId == cliSessionId) is { } cli
                ? Json(cli)
                : Json(new KonsoleError($"Claude Code has no session {cliSessionId}."), HttpStatusCode.NotFound);
        }
        if (parts is ["api", "konsole", "sessions", var sessionId, "turns"]) return Json(TurnsBySession.GetValueOrDefault(sessionId) ?? []);
        if (parts is ["api", "konsole", "sessions", var changedIn, "changes"])
        {
            Interlocked.Increment(ref _changesAsked);
            return Changes.TryGetValue(changedIn, out var changes) ? Json(changes) : Json(new KonsoleError($"There is no session {changedIn}."), HttpStatusCode.NotFound);
        }
        if (parts is ["api", "konsole", "sessions", var filesOf, "files"])
        {
            var prefix = query["prefix"] ?? "";
            FilePrefixes.Enqueue(prefix);
            if (!Files.TryGetValue(filesOf, out var files)) return Json(new KonsoleError($"There is no session {filesOf}."), HttpStatusCode.NotFound);
            var matching = files.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            return Json(new FileCompletions("/home/dev/project", prefix, matching, false));
        }
        if (parts is ["api", "konsole", "turns", var turnId, "events"] && EventsByTurnId.TryGetValue(turnId, out var events))
        {
            var after = long.TryParse(request.Headers.TryGetValues("Last-Event-ID", out var ids) ? ids.First() : "0", out var n) ? n : 0;
            var sse = new StringBuilder();
            foreach (var e in events.Where(e => e.Seq > after))
            {
                sse.Append($"id: {e.Seq}\nevent: {TurnEventJson.TypeName(e)}\ndata: {TurnEventJson.Serialize(e)}\n\n");
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(sse.ToString(), Encoding.UTF8, "text/event-stream") };
        }
        return Json(new KonsoleError($"The fake konsole does not know {request.Method} {path}"), HttpStatusCode.NotFound);
    }

    private int _queued;
    private int _changesAsked;

    /// <summary>A session as konsole would have it after a change (a new one runs in the default mode).</summary>
    public SessionStatus UpdateSession(string sessionId, Func<SessionStatus, SessionStatus> change) =>
        SessionStatuses.AddOrUpdate(sessionId, id => change(new SessionStatus(id, "default", "claude-test", [], [], null, [], true)), (_, s) => change(s));

    /// <summary>As konsole searches: a prompt containing the text, or an id starting with it.</summary>
    private static bool Matches(string? search, string sessionId, IEnumerable<string> prompts) =>
        string.IsNullOrWhiteSpace(search) || sessionId.StartsWith(search, StringComparison.OrdinalIgnoreCase)
        || prompts.Any(p => p.Contains(search, StringComparison.OrdinalIgnoreCase));

    /// <summary>Serves a turn: its events, and its summary among its session's turns and by its requestId.</summary>
    public TurnSummary AddTurn(TurnScript script)
    {
        var start = (TurnStart)script.Events[0];
        var end = script.Events.OfType<TurnEnd>().LastOrDefault();
        var summary = new TurnSummary(start.TurnId, start.SessionId, start.RequestId, start.Prompt, start.At, end?.At,
            end is null ? TurnState.Running : TurnState.Ended, end?.Success, end?.Error, script.Events.OfType<TurnInit>().FirstOrDefault()?.Model,
            end?.CostUsd, script.Events.OfType<TurnResult>().LastOrDefault()?.Usage, end?.Timing, script.Events[^1].Seq);
        EventsByTurnId[start.TurnId] = script.Events.ToList();
        if (!TurnsBySession.TryGetValue(start.SessionId, out var turns)) TurnsBySession[start.SessionId] = turns = [];
        turns.Add(summary);
        if (!TurnsByRequestId.TryGetValue(start.RequestId, out var byRequest)) TurnsByRequestId[start.RequestId] = byRequest = [];
        byRequest.Add(summary);
        return summary;
    }

    private static HttpResponseMessage Json<T>(T value, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = JsonContent.Create(value, options: KonsoleJson.Options) };
}
