using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using Konui.Core.Insights;
using Konui.Core.Turns;

namespace Konui.Core.Konsole;

/// <summary>
/// Konsole over HTTP and SSE: the only way Konui talks to it, whether konsole runs inside the Konui process or on
/// another host. The <see cref="HttpClient"/> carries the base address (and the access token, when one is set).
/// </summary>
public sealed class KonsoleClient(HttpClient http)
{
    public const string ApiRoot = "api/konsole";

    public async Task<TurnAccepted> StartTurnAsync(TurnRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"{ApiRoot}/turns", request, KonsoleJson.Options, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<TurnAccepted>(KonsoleJson.Options, cancellationToken))!;
    }

    /// <summary>
    /// Sends a prompt that waits its turn: it starts at once when the session is idle (<see cref="PromptAccepted.TurnId"/>),
    /// else it joins the session's queue (<see cref="PromptAccepted.Queued"/>) and starts when the turns before it end.
    /// </summary>
    public async Task<PromptAccepted> QueueTurnAsync(TurnRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"{ApiRoot}/turns", request with { Queue = true }, KonsoleJson.Options, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<PromptAccepted>(KonsoleJson.Options, cancellationToken))!;
    }

    /// <summary>
    /// Answers a decision Claude Code waits for. The first answer wins: a later one throws a <see cref="DecisionException"/>
    /// (409) that says how the decision was decided, with its result.
    /// </summary>
    public async Task<DecisionResult> AnswerDecisionAsync(string turnId, string decisionId, DecisionAnswer answer, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"{ApiRoot}/turns/{Uri.EscapeDataString(turnId)}/decisions/{Uri.EscapeDataString(decisionId)}",
            answer, KonsoleJson.Options, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            var refused = await response.Content.ReadFromJsonAsync<DecisionRefused>(KonsoleJson.Options, cancellationToken);
            throw new DecisionException(refused?.Error ?? "The decision is closed.", refused?.Decided);
        }
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<DecisionResult>(KonsoleJson.Options, cancellationToken))!;
    }

    /// <summary>How a session runs now: mode, model, rules allowed for it, its queue, and the decisions it waits for.</summary>
    public Task<SessionStatus> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        GetAsync<SessionStatus>($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}", cancellationToken);

    /// <summary>Switches the session's permission mode (see <see cref="PermissionModes"/>); a mode Claude Code refuses throws its reason.</summary>
    public Task<SessionChange> SetPermissionModeAsync(string sessionId, string mode, CancellationToken cancellationToken = default) =>
        PostAsync<SessionChange>($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/mode", new SessionModeChange(mode), cancellationToken);

    /// <summary>Switches the session's model, without restarting Claude Code when it runs.</summary>
    public Task<SessionChange> SetModelAsync(string sessionId, string model, CancellationToken cancellationToken = default) =>
        PostAsync<SessionChange>($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/model", new SessionModelChange(model), cancellationToken);

    /// <summary>How new sessions start: their permission mode and model.</summary>
    public Task<SessionDefaults> GetDefaultsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<SessionDefaults>($"{ApiRoot}/defaults", cancellationToken);

    /// <summary>Changes how new sessions start (a null model: the configured one); a mode or model konsole refuses throws its reason.</summary>
    public async Task<SessionDefaults> SetDefaultsAsync(SessionDefaults defaults, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"{ApiRoot}/defaults", defaults, KonsoleJson.Options, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<SessionDefaults>(KonsoleJson.Options, cancellationToken))!;
    }

    /// <summary>Takes back something allowed for the session (<see cref="SessionRule.RuleId"/>).</summary>
    public async Task<SessionChange> RevokeRuleAsync(string sessionId, string ruleId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/rules/{Uri.EscapeDataString(ruleId)}", cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<SessionChange>(KonsoleJson.Options, cancellationToken))!;
    }

    /// <summary>The session's queued prompts, in the order they will run.</summary>
    public Task<IReadOnlyList<QueuedPrompt>> GetQueueAsync(string sessionId, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<QueuedPrompt>>($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/queue", cancellationToken);

    /// <summary>Gives a queued prompt new text; one that has started already is refused (409).</summary>
    public async Task<QueuedPrompt> EditQueuedAsync(string sessionId, string queuedId, string prompt, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/queue/{Uri.EscapeDataString(queuedId)}",
            new QueuedPromptEdit(prompt), KonsoleJson.Options, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<QueuedPrompt>(KonsoleJson.Options, cancellationToken))!;
    }

    /// <summary>Takes a prompt out of the queue; one that has started already is refused (409).</summary>
    public async Task RemoveQueuedAsync(string sessionId, string queuedId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/queue/{Uri.EscapeDataString(queuedId)}", cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
    }

    public async Task StopTurnAsync(string turnId, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"{ApiRoot}/turns/{Uri.EscapeDataString(turnId)}/stop", null, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
    }

    public Task<TurnSummary> GetTurnAsync(string turnId, CancellationToken cancellationToken = default) =>
        GetAsync<TurnSummary>($"{ApiRoot}/turns/{Uri.EscapeDataString(turnId)}", cancellationToken);

    /// <summary>The turns made with this requestId (normally one).</summary>
    public Task<IReadOnlyList<TurnSummary>> FindTurnsAsync(string requestId, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<TurnSummary>>($"{ApiRoot}/turns?requestId={Uri.EscapeDataString(requestId)}", cancellationToken);

    /// <summary>The turns started in [from, to), oldest first.</summary>
    public Task<IReadOnlyList<TurnSummary>> GetTurnsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<TurnSummary>>(
            $"{ApiRoot}/turns?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}",
            cancellationToken);

    /// <summary>The Telemetry page's numbers over the turns started in [from, to), bucketed in <paramref name="zone"/>; all sessions or one.</summary>
    public Task<TelemetrySnapshot> GetTelemetryAsync(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, string? sessionId = null, CancellationToken cancellationToken = default) =>
        GetAsync<TelemetrySnapshot>(
            $"{ApiRoot}/telemetry?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}"
            + $"&zone={Uri.EscapeDataString(zone.Id)}{(string.IsNullOrEmpty(sessionId) ? "" : "&session=" + Uri.EscapeDataString(sessionId))}",
            cancellationToken);

    public Task<KonsoleStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        GetAsync<KonsoleStatus>($"{ApiRoot}/status", cancellationToken);

    /// <summary>
    /// The folders a new session may be started in (<see cref="TurnRequest.WorkingDirectory"/>): recent ones first, then
    /// those under the project roots; with <paramref name="filter"/>, those whose path contains it.
    /// </summary>
    public Task<ProjectList> GetProjectsAsync(string? filter = null, CancellationToken cancellationToken = default) =>
        GetAsync<ProjectList>($"{ApiRoot}/projects{(string.IsNullOrWhiteSpace(filter) ? "" : "?filter=" + Uri.EscapeDataString(filter.Trim()))}", cancellationToken);

    /// <summary>Console sessions, newest first.</summary>
    public Task<IReadOnlyList<SessionSummary>> GetSessionsAsync(CancellationToken cancellationToken = default) =>
        GetSessionsAsync(null, cancellationToken);

    /// <summary>Console sessions, newest first; with <paramref name="search"/>, those with a prompt containing it (or an id starting with it).</summary>
    public Task<IReadOnlyList<SessionSummary>> GetSessionsAsync(string? search, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<SessionSummary>>($"{ApiRoot}/sessions{SearchQuery(search)}", cancellationToken);

    /// <summary>Claude Code sessions konsole has no turns of, from the CLI's transcript store, newest first; searched like <see cref="GetSessionsAsync"/>.</summary>
    public Task<IReadOnlyList<CliSessionSummary>> GetCliSessionsAsync(string? search = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<CliSessionSummary>>($"{ApiRoot}/cli-sessions{SearchQuery(search)}", cancellationToken);

    /// <summary>One Claude Code session from the CLI's transcript store with its prompts; null when the store has none by that id.</summary>
    public async Task<CliSessionDetail?> GetCliSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync<CliSessionDetail>($"{ApiRoot}/cli-sessions/{Uri.EscapeDataString(sessionId)}", cancellationToken);
        }
        catch (KonsoleException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>What differs from HEAD in the git repository the session's folder is in: changed, added, deleted and untracked files with their diffs.</summary>
    public Task<SessionChanges> GetChangesAsync(string sessionId, CancellationToken cancellationToken = default) =>
        GetAsync<SessionChanges>($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/changes", cancellationToken);

    /// <summary>Paths inside the session's folder for an '@' being typed: what starts with <paramref name="prefix"/> (a path relative to the folder).</summary>
    public Task<FileCompletions> GetFilesAsync(string sessionId, string prefix, CancellationToken cancellationToken = default) =>
        GetAsync<FileCompletions>($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/files?prefix={Uri.EscapeDataString(prefix)}", cancellationToken);

    public Task<IReadOnlyList<TurnSummary>> GetSessionTurnsAsync(string sessionId, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<TurnSummary>>($"{ApiRoot}/sessions/{Uri.EscapeDataString(sessionId)}/turns", cancellationToken);

    /// <summary>
    /// A turn's events after <paramref name="afterSeq"/> over one SSE connection, until the terminal event or until
    /// the connection drops (then the enumeration just ends: resume with the last seq seen).
    /// </summary>
    public async IAsyncEnumerable<TurnEvent> ReadEventsAsync(string turnId, long afterSeq = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ApiRoot}/turns/{Uri.EscapeDataString(turnId)}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (afterSeq > 0) request.Headers.Add("Last-Event-ID", afterSeq.ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        long id = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                yield break;
            }
            if (line is null) yield break;
            if (line.Length == 0)
            {
                if (data.Length == 0) continue;
                var turnEvent = Read(data.ToString(), id);
                data.Clear();
                if (turnEvent is null) continue;
                yield return turnEvent;
                if (turnEvent.IsTerminal) yield break;
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                _ = long.TryParse(line.AsSpan(3).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id);
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
            }
        }
    }

    private static string SearchQuery(string? search) =>
        string.IsNullOrWhiteSpace(search) ? "" : "?search=" + Uri.EscapeDataString(search.Trim());

    /// <summary>An event this version cannot read (a newer konsole's) comes out raw, keeping its place in the sequence.</summary>
    private static TurnEvent? Read(string json, long id)
    {
        try
        {
            return TurnEventJson.Deserialize(json);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            return new RawEvent(null, json) { Seq = id };
        }
    }

    private async Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, KonsoleJson.Options, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(KonsoleJson.Options, cancellationToken))!;
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        await ThrowIfRefusedAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(KonsoleJson.Options, cancellationToken))!;
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        KonsoleError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<KonsoleError>(KonsoleJson.Options, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
        }
        throw new KonsoleException(response.StatusCode,
            error?.Error ?? $"Konsole answered {(int)response.StatusCode} {response.ReasonPhrase}", error?.RunningTurnId);
    }
}
