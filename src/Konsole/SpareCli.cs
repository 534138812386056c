using System.ComponentModel;
using Konui.Core.Turns;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// Keeps one spare CLI started, idle and ready, so that a new session's first prompt goes out as fast as a running
/// session's: the new session takes the spare (the spare's session id becomes the session's) instead of starting a CLI
/// and waiting for it. The first spare is made a few seconds after konsole has started; a taken one is replaced once the turn that
/// took it has the model's first answer, so that starting the next does not slow that turn down. A spare is made as
/// the last new session was (its folder, model and mode), or as the defaults for new sessions say once they change;
/// a new session that wants another is not given it, and it is stopped. A spare serves one session at most and carries nothing of another. It stops with konsole.
/// Konsole:KeepSpare false turns it off.
/// </summary>
public sealed class SpareCli(KonsoleOptions options, ClaudeCli cli, SessionDefaultsFile defaults, TimeProvider time, ILogger<SpareCli> logger) : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long after konsole has started the first spare is made: starting a CLI takes about a second of CPU, and
    /// Konui's first pages, which come in that second, need it more (docs/benchmarks.md, benchmark 3).
    /// </summary>
    internal static readonly TimeSpan FirstSpareAfter = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _preparing = new(1, 1);
    private Spare? _spare;
    private readonly CancellationTokenSource _stopped = new();
    /// <summary>A spare was asked for (the defaults changed, or a new session began): the first spare is then not made on its own.</summary>
    private volatile bool _asked;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Konsole and its host are up (Konui's MCP endpoint listens): the first spare is made <see cref="FirstSpareAfter"/>
    /// from now, as the defaults for new sessions say then, unless a spare was asked for meanwhile.
    /// </summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!options.KeepSpare) return Task.CompletedTask;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(FirstSpareAfter, time, _stopped.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!_asked) await PrepareAsync(SpareKey.For(options, defaults.Current, null, null, null));
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>The next new session is expected as <paramref name="key"/> says (the defaults changed): the spare is made so.</summary>
    internal void Expect(SpareKey key)
    {
        _asked = true;
        _ = Task.Run(() => PrepareAsync(key), CancellationToken.None);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Set before the lock is taken: a spare made meanwhile sees it under the lock and is stopped, or is found here.
        await _stopped.CancelAsync();
        Spare? spare;
        lock (_gate)
        {
            spare = _spare;
            _spare = null;
        }
        if (spare is not null) await spare.StopAsync(options.StopGrace, "konsole is stopping");
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The ready spare for a new session started as <paramref name="key"/> says, now that session's; null when there
    /// is none (a spare still starting stays for the next new session). A spare made for another key is stopped.
    /// </summary>
    internal Spare? Take(SpareKey key)
    {
        Spare? other;
        lock (_gate)
        {
            if (_spare is not { } spare) return null;
            if (spare.Key == key)
            {
                if (!spare.IsReady) return null;
                spare.Taken = true;
                _spare = null;
                logger.LogInformation("New session {Session} takes the spare claude (pid {Pid}), started {Ms:F0} ms ago", spare.SessionId, spare.Process.Id, spare.Age.TotalMilliseconds);
                return spare;
            }
            other = spare;
            _spare = null;
        }
        // Off the caller's thread: konsole starts turns under a lock, and closing a CLI's input may wait for a write.
        _ = Task.Run(() => other.StopAsync(options.StopGrace, $"a new session wants {key}, the spare was made for {other.Key}"), CancellationToken.None);
        return null;
    }

    /// <summary>After a new session's first turn began: once the model answers it (or it ends), a spare is made as that session was.</summary>
    internal void ReplaceAfter(Turn turn, SpareKey key)
    {
        if (!options.KeepSpare) return;
        _asked = true;
        _ = Task.Run(async () =>
        {
            await FirstAnswerAsync(turn);
            await PrepareAsync(key);
        }, CancellationToken.None);
    }

    private async Task FirstAnswerAsync(Turn turn)
    {
        long seen = 0;
        while (!turn.IsEnded)
        {
            await turn.WaitForEventAfterAsync(seen, CancellationToken.None);
            var events = turn.EventsAfter(seen, logger);
            if (events.Any(e => e is not (TurnStart or TurnInit or TurnStatus))) return;
            if (events.Count > 0) seen = events[^1].Seq;
        }
    }

    /// <summary>Makes a spare for <paramref name="key"/> unless one for it is starting or ready; one for another key is stopped.</summary>
    private async Task PrepareAsync(SpareKey key)
    {
        if (!options.KeepSpare) return;
        await _preparing.WaitAsync();
        try
        {
            Spare? stale;
            lock (_gate)
            {
                if (_stopped.IsCancellationRequested) return;
                if (_spare is { } current && current.Key == key && !current.Process.HasExited && !(current.Ready.IsCompleted && !current.IsReady)) return;
                stale = _spare;
                _spare = null;
            }
            if (stale is not null) _ = stale.StopAsync(options.StopGrace, $"the next new session is expected as {key}, not {stale.Key}");
            Spare started;
            try
            {
                started = Spare.Start(options, cli, key, Patience, time, logger);
            }
            catch (Win32Exception ex)
            {
                logger.LogWarning("No spare claude: {Path} could not be started ({Reason})", cli.Path, ex.Message);
                return;
            }
            logger.LogInformation("Started a spare claude (pid {Pid}, session {Session}) for new sessions: {Key}", started.Process.Id, started.SessionId, key);
            _ = WatchAsync(started);
            lock (_gate)
            {
                if (!_stopped.IsCancellationRequested)
                {
                    _spare = started;
                    return;
                }
            }
            await started.StopAsync(options.StopGrace, "konsole is stopping");
        }
        finally
        {
            _preparing.Release();
        }
    }

    /// <summary>A spare that exits before a session takes it is let go (the next new session starts its CLI, and a spare after it).</summary>
    private async Task WatchAsync(Spare spare)
    {
        try
        {
            await spare.Process.WaitForExitAsync(Timeout.InfiniteTimeSpan);
        }
        catch (InvalidOperationException)
        {
            // The session that took it disposed of it when it exited.
            return;
        }
        bool unexpected;
        lock (_gate)
        {
            if (spare.Taken) return;
            unexpected = _spare == spare;
            if (unexpected) _spare = null;
        }
        if (unexpected)
        {
            logger.LogWarning("The spare claude (pid {Pid}) exited with {Code} before a session took it: {Stderr}", spare.Process.Id, spare.Process.ExitCode, spare.Process.StderrTail);
        }
        spare.Process.Dispose();
    }

    public void Dispose()
    {
        _stopped.Dispose();
        _preparing.Dispose();
    }
}
