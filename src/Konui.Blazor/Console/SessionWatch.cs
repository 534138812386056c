using System.Net;
using System.Text.Json;
using Konui.Core.Konsole;

namespace Konui.Blazor.Console;

/// <summary>
/// How each console session a tab shows runs now (the konsole of its machine, GET /api/konsole/sessions/{id}: its permission mode and
/// model, what was allowed for it, its queued prompts): asked once a second per session, however many tabs show it,
/// and only while one does. Every tab on the session hears a change, also one made by another Konui tab, a phone or
/// konsole itself; a change made through this Konui is passed on at once (<see cref="Publish"/>).
/// </summary>
public sealed class SessionWatch(Konsoles konsoles, TimeProvider time, ILogger<SessionWatch> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Watched> _sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Calls <paramref name="onChange"/> with the session's state now (when known) and after each change, from a
    /// background thread, until the result is disposed.
    /// </summary>
    public IDisposable Watch(string sessionId, Action<SessionStatus> onChange)
    {
        Watched watched;
        SessionStatus? known;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(sessionId, out watched!))
            {
                watched = new Watched(sessionId);
                _sessions[sessionId] = watched;
                _ = Task.Run(() => PollAsync(watched));
            }
            watched.Listeners.Add(onChange);
            known = watched.Last;
        }
        if (known is not null) onChange(known);
        return new ConsoleSubscription(() => Leave(watched, onChange));
    }

    /// <summary>A change made through Konui: every tab on the session hears it now, not at the next poll.</summary>
    public void Publish(SessionStatus status)
    {
        Watched? watched;
        lock (_gate) watched = _sessions.GetValueOrDefault(status.SessionId);
        if (watched is not null) Take(watched, status);
        Refresh(status.SessionId);
    }

    /// <summary>Asks konsole again now (after something that changes the session without saying how, e.g. a queued prompt).</summary>
    public void Refresh(string sessionId)
    {
        Watched? watched;
        lock (_gate) watched = _sessions.GetValueOrDefault(sessionId);
        watched?.Wake();
    }

    private void Leave(Watched watched, Action<SessionStatus> onChange)
    {
        lock (_gate)
        {
            watched.Listeners.Remove(onChange);
            if (watched.Listeners.Count > 0) return;
            _sessions.Remove(watched.SessionId);
        }
        watched.Stop();
    }

    private async Task PollAsync(Watched watched)
    {
        using var _ = watched;
        while (!watched.Stopped.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            using (var answerWithin = CancellationTokenSource.CreateLinkedTokenSource(watched.Stopped.Token, _stopping.Token))
            {
                answerWithin.CancelAfter(TimeSpan.FromSeconds(10));
                try
                {
                    var machine = await konsoles.ForSessionAsync(watched.SessionId, answerWithin.Token);
                    Take(watched, await machine.Client.GetSessionAsync(watched.SessionId, answerWithin.Token));
                }
                catch (KonsoleException ex) when (ex.Status == HttpStatusCode.NotFound)
                {
                    // A session konsole does not know yet (no prompt sent, or only Claude Code's own store has it).
                }
                catch (Exception ex) when (ex is HttpRequestException or KonsoleException or JsonException or OperationCanceledException)
                {
                    if (watched.Stopped.IsCancellationRequested || _stopping.IsCancellationRequested) return;
                    logger.LogDebug("Konsole did not give session {Session}'s state: {Problem}", watched.SessionId, ex.Message);
                }
            }
            await watched.WaitAsync(KonsoleWatch.PollInterval, time);
        }
    }

    /// <summary>Tells the session's listeners when its state differs from the last they heard.</summary>
    private void Take(Watched watched, SessionStatus status)
    {
        var json = JsonSerializer.Serialize(status, KonsoleJson.Options);
        List<Action<SessionStatus>> listeners;
        lock (_gate)
        {
            if (json == watched.LastJson) return;
            watched.LastJson = json;
            watched.Last = status;
            listeners = [.. watched.Listeners];
        }
        foreach (var listener in listeners) listener(status);
    }

    public void Dispose()
    {
        // Cancelled, not disposed: a poll that is between two checks may still read its token.
        _stopping.Cancel();
    }

    /// <summary>A watched session: its listeners, what they last heard, and its poll's wake-up; its poll disposes of it when it stops.</summary>
    private sealed class Watched(string sessionId) : IDisposable
    {
        private readonly SemaphoreSlim _wake = new(0, 1);

        public string SessionId { get; } = sessionId;

        public List<Action<SessionStatus>> Listeners { get; } = [];

        public CancellationTokenSource Stopped { get; } = new();

        public SessionStatus? Last { get; set; }

        public string? LastJson { get; set; }

        public void Wake()
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken already: one poll answers both.
            }
            catch (ObjectDisposedException)
            {
                // Its poll has stopped: nobody watches it any more.
            }
        }

        public async Task WaitAsync(TimeSpan interval, TimeProvider time)
        {
            using var timeout = new CancellationTokenSource(interval, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, Stopped.Token);
            try
            {
                await _wake.WaitAsync(either.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        public void Stop()
        {
            try
            {
                Stopped.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Its poll stopped already (Konui is shutting down).
            }
        }

        public void Dispose()
        {
            _wake.Dispose();
            Stopped.Dispose();
        }
    }
}
