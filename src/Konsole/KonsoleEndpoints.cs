using System.Globalization;
using System.Text;
using System.Text.Json;
using Konui.Core;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// Konsole's HTTP API under /api/konsole: start (or queue), watch (SSE), stop and list turns; answer the decisions
/// Claude Code waits for; sessions (its own and Claude Code's), their mode, model, rules and queue; and its status.
/// </summary>
public static class KonsoleEndpoints
{
    public const int MaxPromptBytes = 1024 * 1024;
    public const int MaxSearchLength = 500;
    public const int MaxModelLength = 200;
    private const long MaxSmallBodyBytes = 2L * 1024 * 1024;
    private const long MaxBodyBytes = 64L * 1024 * 1024;

    public static IEndpointRouteBuilder MapKonsole(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/" + KonsoleClient.ApiRoot);
        api.MapPost("/turns", StartTurnAsync).DisableAntiforgery();
        api.MapGet("/turns", (string? requestId, DateTimeOffset? from, DateTimeOffset? to, TurnRunner runner) => requestId is not null
            ? Json(runner.FindByRequestId(requestId).Select(t => t.Summary()).ToList())
            : Json(runner.Turns(from ?? DateTimeOffset.MinValue, to ?? DateTimeOffset.MaxValue).Select(t => t.Summary()).ToList()));
        api.MapGet("/telemetry", Telemetry);
        api.MapGet("/turns/{turnId}", (string turnId, TurnRunner runner) =>
            runner.Find(turnId) is { } turn ? Json(turn.Summary()) : UnknownTurn(turnId));
        api.MapGet("/turns/{turnId}/events", StreamEventsAsync);
        api.MapPost("/turns/{turnId}/stop", (string turnId, TurnRunner runner) =>
            runner.Stop(turnId) ? Json(runner.Find(turnId)!.Summary(), StatusCodes.Status202Accepted) : UnknownTurn(turnId)).DisableAntiforgery();
        api.MapGet("/sessions", (string? search, TurnRunner runner) =>
            SearchError(search) is { } error ? error : Json(runner.Sessions(search)));
        api.MapGet("/cli-sessions", (string? search, TurnRunner runner) =>
            SearchError(search) is { } error ? error : Json(runner.CliSessions(search)));
        api.MapGet("/cli-sessions/{sessionId}", (string sessionId, TurnRunner runner, ClaudeTranscripts transcripts) =>
            runner.CliSession(sessionId) is { } session
                ? Json(session)
                : Error(StatusCodes.Status404NotFound, $"Claude Code has no session {sessionId} in {transcripts.ProjectsDirectory}."));
        api.MapGet("/sessions/{sessionId}/turns", (string sessionId, TurnRunner runner) =>
            runner.SessionTurns(sessionId) is { } turns ? Json(turns) : Error(StatusCodes.Status404NotFound, $"There is no session {sessionId}."));
        api.MapGet("/status", (TurnRunner runner) => Json(runner.Status()));
        api.MapGet("/sessions/{sessionId}/files", (string sessionId, string? prefix, TurnRunner runner) =>
        {
            if (!runner.Knows(sessionId)) return UnknownSession(sessionId);
            var (files, error) = FolderFiles.Complete(runner.FolderOf(sessionId), prefix);
            return files is not null ? Json(files) : Error(StatusCodes.Status400BadRequest, error!);
        });
        api.MapGet("/sessions/{sessionId}/changes", async (string sessionId, TurnRunner runner, CancellationToken cancel) =>
            runner.Knows(sessionId) ? Json(await WorkingTreeChanges.ReadAsync(sessionId, runner.FolderOf(sessionId), cancel)) : UnknownSession(sessionId));
        api.MapGet("/projects", (string? filter, ProjectFolders projects, TurnRunner runner) =>
            SearchError(filter) is { } error ? error : Json(projects.List(filter, runner.RecentFolders())));
        api.MapPost("/turns/{turnId}/decisions/{decisionId}", AnswerAsync).DisableAntiforgery();
        api.MapGet("/sessions/{sessionId}", (string sessionId, TurnRunner runner) =>
            runner.Session(sessionId) is { } session ? Json(session) : UnknownSession(sessionId));
        api.MapPost("/sessions/{sessionId}/mode", SetModeAsync).DisableAntiforgery();
        api.MapPost("/sessions/{sessionId}/model", SetModelAsync).DisableAntiforgery();
        api.MapGet("/defaults", (SessionDefaultsFile defaults) => Json(defaults.Current));
        api.MapPut("/defaults", SetDefaultsAsync).DisableAntiforgery();
        api.MapDelete("/sessions/{sessionId}/rules/{ruleId}", (string sessionId, string ruleId, TurnRunner runner) => Outcome(runner.Revoke(sessionId, ruleId)));
        api.MapGet("/sessions/{sessionId}/queue", (string sessionId, TurnRunner runner) =>
            runner.Queue(sessionId) is { } queue ? Json(queue) : UnknownSession(sessionId));
        api.MapPut("/sessions/{sessionId}/queue/{queuedId}", EditQueuedAsync).DisableAntiforgery();
        api.MapDelete("/sessions/{sessionId}/queue/{queuedId}", (string sessionId, string queuedId, TurnRunner runner) =>
            runner.RemoveQueued(sessionId, queuedId) is { } error ? Error(runner.Session(sessionId) is null ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict, error) : Results.NoContent());
        return endpoints;
    }

    /// <summary>POST /turns/{turnId}/decisions/{decisionId}: the first answer wins; a later one gets 409 saying how it was decided.</summary>
    private static async Task<IResult> AnswerAsync(string turnId, string decisionId, HttpContext http, TurnRunner runner)
    {
        var (answer, error) = await ReadAsync<DecisionAnswer>(http, """{"behavior": "allow" | "deny", "message"?, "remember"?: "session", "updatedInput"?, "mode"?, "client"?}""");
        if (error is not null) return error;
        var by = answer!.Client is { Length: > 0 } client ? client.Trim()
            : http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, DecisionAnswers.MaxClientLength)] : "an unnamed client";
        var outcome = await runner.AnswerAsync(turnId, decisionId, answer, by);
        return outcome.Status == StatusCodes.Status200OK ? Json(outcome.Result)
            : outcome.Status == StatusCodes.Status409Conflict ? Json(new DecisionRefused(outcome.Error!, outcome.Result), outcome.Status)
            : Error(outcome.Status, outcome.Error!);
    }

    private static async Task<IResult> SetModeAsync(string sessionId, HttpContext http, TurnRunner runner)
    {
        var (change, error) = await ReadAsync<SessionModeChange>(http, "{\"mode\": \"" + string.Join("\" | \"", PermissionModes.All) + "\"}");
        if (error is not null) return error;
        return Outcome(await runner.SetModeAsync(sessionId, change!.Mode ?? ""));
    }

    private static async Task<IResult> SetModelAsync(string sessionId, HttpContext http, TurnRunner runner)
    {
        var (change, error) = await ReadAsync<SessionModelChange>(http, """{"model": "sonnet" | "<a model's name>"}""");
        if (error is not null) return error;
        var model = change!.Model?.Trim() ?? "";
        return ModelError(model) ?? Outcome(await runner.SetModelAsync(sessionId, model));
    }

    private static IResult? ModelError(string model) =>
        model.Length is 0 or > MaxModelLength || !model.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '@' or '[' or ']')
            ? Error(StatusCodes.Status400BadRequest, $"model must be 1 to {MaxModelLength} letters, digits and - _ . : / @ [ ] (an alias such as sonnet, or a model's name).")
            : null;

    /// <summary>A new session's model and mode, checked as a session's own are; a session that exists changes them with its own calls.</summary>
    private static IResult? NewSessionError(TurnRequest request, KonsoleOptions options)
    {
        if (request.Model is null && request.Mode is null) return null;
        if (request.SessionId is not null)
        {
            return Error(StatusCodes.Status400BadRequest,
                "model and mode choose how a new session starts; change a session's with POST /api/konsole/sessions/{sessionId}/model or /mode.");
        }
        if (request.Model is { } model && ModelError(model.Trim()) is { } error) return error;
        if (request.Mode is { } mode && !PermissionModes.All.Contains(mode, StringComparer.Ordinal))
        {
            return Error(StatusCodes.Status400BadRequest, $"mode must be one of {string.Join(", ", PermissionModes.All)}, not \"{mode}\".");
        }
        return request.Mode == PermissionModes.BypassPermissions && !ClaudeCommandLine.AllowsBypass(options)
            ? Error(StatusCodes.Status400BadRequest, ClaudeSession.NoBypass)
            : null;
    }

    /// <summary>PUT /defaults: how new sessions start from now on; sessions that exist keep their mode and model.</summary>
    private static async Task<IResult> SetDefaultsAsync(HttpContext http, SessionDefaultsFile defaults, SpareCli spares, KonsoleOptions options)
    {
        var (wanted, error) = await ReadAsync<SessionDefaults>(http, "{\"permissionMode\": \"" + string.Join("\" | \"", PermissionModes.All) + "\", \"model\"?: \"sonnet\" | null}");
        if (error is not null) return error;
        var mode = wanted!.PermissionMode ?? "";
        if (!PermissionModes.All.Contains(mode, StringComparer.Ordinal))
        {
            return Error(StatusCodes.Status400BadRequest, $"permissionMode must be one of {string.Join(", ", PermissionModes.All)}, not \"{mode}\".");
        }
        if (mode == PermissionModes.BypassPermissions && !ClaudeCommandLine.AllowsBypass(options)) return Error(StatusCodes.Status409Conflict, ClaudeSession.NoBypass);
        var model = wanted.Model?.Trim();
        if (!string.IsNullOrEmpty(model) && ModelError(model) is { } bad) return bad;
        try
        {
            var chosen = defaults.Set(mode, model);
            spares.Expect(SpareKey.For(options, chosen, null, null, null));
            return Json(chosen);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Error(StatusCodes.Status500InternalServerError, $"Could not keep the defaults in {defaults.Path}: {ex.Message}");
        }
    }

    private static async Task<IResult> EditQueuedAsync(string sessionId, string queuedId, HttpContext http, TurnRunner runner)
    {
        var (edit, error) = await ReadAsync<QueuedPromptEdit>(http, """{"prompt": "..."}""");
        if (error is not null) return error;
        if (PromptError(edit!.Prompt) is { } bad) return bad;
        var (edited, refused) = runner.EditQueued(sessionId, queuedId, edit.Prompt);
        return edited is not null ? Json(edited) : Error(runner.Session(sessionId) is null ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict, refused!);
    }

    private static IResult Outcome(SessionOutcome outcome) => outcome.Change is { } change ? Json(change) : Error(outcome.Status, outcome.Error!);

    /// <summary>A small JSON body, or the 400 that says what to send.</summary>
    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext http, string shape) where T : class
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxSmallBodyBytes;
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, KonsoleJson.Options, http.RequestAborted);
            return body is null ? (null, Error(StatusCodes.Status400BadRequest, $"The body must be JSON {shape}.")) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"The body must be JSON {shape}: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Error(StatusCodes.Status413PayloadTooLarge, "The request is over 2 MB."));
        }
    }

    private static IResult? PromptError(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt)) return Error(StatusCodes.Status400BadRequest, "The prompt is empty: write what Claude should do.");
        var promptBytes = Encoding.UTF8.GetByteCount(prompt);
        return promptBytes > MaxPromptBytes
            ? Error(StatusCodes.Status413PayloadTooLarge, $"The prompt is {promptBytes / 1024.0 / 1024.0:F1} MB; the limit is 1 MB. Attach less, or point Claude at files instead.")
            : null;
    }

    private static async Task<IResult> StartTurnAsync(HttpContext http, TurnRunner runner, ProjectFolders projects, KonsoleOptions options, TimeProvider time)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        TurnRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<TurnRequest>(http.Request.Body, KonsoleJson.Options, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, $"The body must be JSON {{\"prompt\": \"...\", \"sessionId\"?, \"images\"?, \"requestId\"?, \"queue\"?, \"workingDirectory\"?, \"model\"?, \"mode\"?}}: {ex.Message}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, "The request is over 64 MB.");
        }
        if (PromptError(request?.Prompt) is { } bad) return bad;
        if (request!.SessionId is { } sessionId)
        {
            if (!Guid.TryParse(sessionId, out var session)) return Error(StatusCodes.Status400BadRequest, $"sessionId must be a UUID, not '{sessionId}'.");
            request = request with { SessionId = session.ToString("D") };
        }
        if (request.RequestId is { } given && (given.Length is 0 or > 200 || !given.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':')))
        {
            return Error(StatusCodes.Status400BadRequest, "requestId must be 1 to 200 letters, digits, '_', '-', '.' or ':'.");
        }
        var (images, imageError) = PromptImages.Check(request.Images);
        if (imageError is not null) return Error(StatusCodes.Status400BadRequest, imageError);
        string? folder = null;
        if (request.WorkingDirectory is { } asked)
        {
            (folder, var folderError) = projects.Check(asked);
            if (folderError is not null) return Error(StatusCodes.Status400BadRequest, folderError);
            if (request.SessionId is { } existing && runner.Knows(existing) && runner.FolderOf(existing) is var kept && kept != folder)
            {
                return Error(StatusCodes.Status400BadRequest, $"Session {existing} runs in {kept}: a session keeps the folder it started in. Start a new session (no sessionId) for {folder}.");
            }
        }
        if (NewSessionError(request, options) is { } settingsError) return settingsError;

        var requestId = request.RequestId ?? Ids.Request(time);
        var outcome = runner.Start(request.SessionId, requestId, request.Prompt, images, request.Queue, folder, request.Model?.Trim(), request.Mode);
        if (outcome.Started is { } turn)
        {
            return request.Queue
                ? Json(new PromptAccepted(turn.TurnId, requestId, turn.SessionId), StatusCodes.Status202Accepted)
                : Json(new TurnAccepted(turn.TurnId, requestId, turn.SessionId), StatusCodes.Status202Accepted);
        }
        if (outcome.Queued is { } queued) return Json(new PromptAccepted(null, requestId, outcome.SessionId, queued), StatusCodes.Status202Accepted);
        var busy = outcome.Running is { } running
            ? $"Session {outcome.SessionId} is busy with turn {running.TurnId}: stop it, wait for it to end, or send the prompt with \"queue\": true to run after it."
            : $"Session {outcome.SessionId} has prompts queued: send this one with \"queue\": true to run after them.";
        return Json(new KonsoleError(busy, outcome.Running?.TurnId), StatusCodes.Status409Conflict);
    }

    private static async Task StreamEventsAsync(string turnId, HttpContext http, TurnRunner runner, KonsoleOptions options, ILogger<TurnRunner> logger,
        IHostApplicationLifetime lifetime)
    {
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        if (string.IsNullOrEmpty(lastEventId)) lastEventId = http.Request.Query["lastEventId"].ToString();
        long after = 0;
        if (lastEventId.Length > 0 && (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            await Error(StatusCodes.Status400BadRequest, $"Last-Event-ID must be the number of the last event received, not '{lastEventId}'.").ExecuteAsync(http);
            return;
        }
        if (runner.Find(turnId) is not { } turn)
        {
            await UnknownTurn(turnId).ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // A stream ends when konsole shuts down, so the server does not wait for running turns to end on their own
        // before it stops; the reader resumes with Last-Event-ID once konsole is back.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var cancel = ending.Token;
        try
        {
            await http.Response.WriteAsync("retry: 1000\n\n", cancel);
            await http.Response.Body.FlushAsync(cancel);
            while (!cancel.IsCancellationRequested)
            {
                var events = turn.EventsAfter(after, logger);
                if (events.Count > 0)
                {
                    var frames = new StringBuilder();
                    foreach (var turnEvent in events)
                    {
                        frames.Append(Frame(turnEvent));
                        after = turnEvent.Seq;
                    }
                    await http.Response.WriteAsync(frames.ToString(), cancel);
                    await http.Response.Body.FlushAsync(cancel);
                    if (events[^1].IsTerminal) return;
                }
                if (turn.IsEnded && (after >= turn.LastSeq || events.Count == 0))
                {
                    // Ended, and the log has nothing more to give (a line it could not keep): the end itself still goes out.
                    if (turn.End is { } end && end.Seq > after) await WriteFrameAsync(http, end, cancel);
                    return;
                }
                try
                {
                    await turn.WaitForEventAfterAsync(after, cancel).WaitAsync(options.KeepAlive, cancel);
                }
                catch (TimeoutException)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancel);
                    await http.Response.Body.FlushAsync(cancel);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
    }

    /// <summary>The Telemetry page's numbers over the turns started in [from, to), by day or hour in the viewer's time zone.</summary>
    private static IResult Telemetry(DateTimeOffset? from, DateTimeOffset? to, string? zone, string? session, TurnRunner runner)
    {
        if (from is null || to is null || from >= to)
        {
            return Error(StatusCodes.Status400BadRequest, "Give the range as from=...&to=... (ISO 8601 times, from before to).");
        }
        var timeZone = TimeZoneInfo.Utc;
        if (!string.IsNullOrEmpty(zone) && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out timeZone))
        {
            return Error(StatusCodes.Status400BadRequest, $"There is no time zone \"{zone}\": give an IANA name such as Europe/Berlin, or none for UTC.");
        }
        var turns = runner.Turns(from.Value, to.Value).Select(t => t.Summary());
        return Json(Konui.Core.Insights.Telemetry.Compute(turns, from.Value, to.Value, timeZone, string.IsNullOrEmpty(session) ? null : session));
    }

    private static IResult? SearchError(string? search) =>
        search is { Length: > MaxSearchLength }
            ? Error(StatusCodes.Status400BadRequest, $"The search is {search.Length} characters long; search for at most {MaxSearchLength}.")
            : null;

    /// <summary>One SSE frame: the event's sequence number as its id, its type as the event name, its JSON as data.</summary>
    private static string Frame(TurnEvent turnEvent) =>
        $"id: {turnEvent.Seq.ToString(CultureInfo.InvariantCulture)}\nevent: {TurnEventJson.TypeName(turnEvent)}\ndata: {TurnEventJson.Serialize(turnEvent)}\n\n";

    private static async Task WriteFrameAsync(HttpContext http, TurnEvent turnEvent, CancellationToken cancel)
    {
        await http.Response.WriteAsync(Frame(turnEvent), cancel);
        await http.Response.Body.FlushAsync(cancel);
    }

    private static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, KonsoleJson.Options, statusCode: status);

    private static IResult UnknownTurn(string turnId) => Error(StatusCodes.Status404NotFound, $"There is no turn {turnId}.");

    private static IResult UnknownSession(string sessionId) => Error(StatusCodes.Status404NotFound, $"There is no session {sessionId}.");

    private static IResult Error(int status, string message) => Results.Json(new KonsoleError(message), KonsoleJson.Options, statusCode: status);
}
