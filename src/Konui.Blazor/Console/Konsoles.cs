using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using Konui.Core.Events;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>
/// Every machine Konui drives, by name: "local" (the konsole inside Konui, or the standalone one at Konsole:Url), then
/// those of Konsole:Hosts, and any added while Konui runs (<see cref="Add"/>, <see cref="RemoveAsync"/>; <see cref="MachinesChanged"/>
/// tells). Each has its own client (its token stays here) and watch. Which machine a session lives on is learned
/// from what each konsole says (its running turns, its sessions) and from the prompts sent through Konui
/// (<see cref="MachineOf"/>, <see cref="FindAsync"/>): session ids are unique across machines. The machines' watch
/// events come out here as one stream, so a page hears every machine.
/// </summary>
public sealed class Konsoles : IHostedService, IDisposable
{
    /// <summary>The konsole Konui runs with.</summary>
    public const string LocalName = "local";

    private readonly IHttpClientFactory _httpClients;
    private readonly EventBus _bus;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, KonsoleMachine> _sessions = new(StringComparer.Ordinal);
    private ImmutableArray<KonsoleMachine> _machines = [];
    private bool _started;

    public Konsoles(IEnumerable<KonsoleHost> hosts, IHttpClientFactory httpClients, EventBus bus, TimeProvider time, ILoggerFactory loggers)
    {
        (_httpClients, _bus, _time, _loggers) = (httpClients, bus, time, loggers);
        foreach (var host in hosts) _machines = _machines.Add(Create(host));
        if (_machines.IsEmpty || _machines[0].Name != LocalName) throw new InvalidOperationException($"The first konsole is the one Konui runs with, \"{LocalName}\".");
    }

    /// <summary>The machines, "local" first, then in the order they were configured or added.</summary>
    public ImmutableArray<KonsoleMachine> All => _machines;

    public KonsoleMachine Local => _machines[0];

    /// <summary>More than "local": pages then say which machine each session, turn and decision is on.</summary>
    public bool Several => _machines.Length > 1;

    /// <summary>The machines changed: one was added or removed.</summary>
    public event Action? MachinesChanged;

    /// <summary>A machine's status changed (each second, per machine): its health and the turns running there.</summary>
    public event Action? StatusChanged;

    /// <summary>A reader started following a turn on some machine: its session and id.</summary>
    public event Action<string, string>? TurnFollowed;

    /// <summary>A reader read a turn's end on some machine: the turn's requestId and its end.</summary>
    public event Action<string, TurnEnd>? TurnEnded;

    public KonsoleMachine? Find(string name) => _machines.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The turns running now on every machine that answers, with their machine.</summary>
    public IEnumerable<(KonsoleMachine Machine, ActiveTurn Turn)> ActiveTurns =>
        _machines.SelectMany(m => (m.Watch.Status?.ActiveTurns ?? []).Select(t => (m, t)));

    /// <summary>
    /// Adds a konsole while Konui runs, watched at once. A name in use, a missing name or an address that is not an
    /// absolute http or https URL throws an <see cref="ArgumentException"/> saying so, and nothing changes.
    /// </summary>
    public KonsoleMachine Add(KonsoleHost host)
    {
        if (KonsoleHost.Problems([host]) is [var problem, ..]) throw new ArgumentException(problem, nameof(host));
        KonsoleMachine machine;
        lock (_gate)
        {
            if (Find(host.Name) is not null) throw new ArgumentException($"A konsole named \"{host.Name}\" is there already.", nameof(host));
            machine = Create(host);
            _machines = _machines.Add(machine);
            if (_started) machine.Watch.Start();
        }
        MachinesChanged?.Invoke();
        return machine;
    }

    /// <summary>Stops watching a konsole and forgets it (and which sessions were on it); "local" stays. False when there is none by that name.</summary>
    public async Task<bool> RemoveAsync(string name)
    {
        KonsoleMachine? machine;
        lock (_gate)
        {
            machine = Find(name);
            if (machine is null || machine == Local) return false;
            _machines = _machines.Remove(machine);
        }
        foreach (var placed in _sessions.Where(s => s.Value == machine)) _sessions.TryRemove(placed);
        await machine.Watch.StopAsync();
        machine.Watch.Dispose();
        MachinesChanged?.Invoke();
        return true;
    }

    /// <summary>Notes that a session lives on a machine (its konsole listed it, ran a turn of it, or took its first prompt).</summary>
    public void Place(string sessionId, KonsoleMachine machine) => _sessions[sessionId] = machine;

    /// <summary>The machine a session is known to live on; with one machine, that one; else null while unknown (see <see cref="FindAsync"/>).</summary>
    public KonsoleMachine? MachineOf(string sessionId)
    {
        if (!Several) return Local;
        return _sessions.TryGetValue(sessionId, out var machine) && _machines.Contains(machine) ? machine : null;
    }

    /// <summary>
    /// The machine a session lives on: the known one, else the first whose konsole knows it (its own sessions first,
    /// then its Claude Code store); null when none does (or none of those that would answer).
    /// </summary>
    public async Task<KonsoleMachine?> FindAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        if (MachineOf(sessionId) is { } known) return known;
        var machines = _machines.Where(m => !m.IsOffline).ToList();
        var owns = await Task.WhenAll(machines.Select(m => KnowsAsync(m, sessionId, cliStore: false, cancellationToken)));
        var owner = machines.Where((_, i) => owns[i]).FirstOrDefault();
        if (owner is null)
        {
            owns = await Task.WhenAll(machines.Select(m => KnowsAsync(m, sessionId, cliStore: true, cancellationToken)));
            owner = machines.Where((_, i) => owns[i]).FirstOrDefault();
        }
        if (owner is not null) Place(sessionId, owner);
        return owner;
    }

    /// <summary>The machine to ask about a session: the one it lives on, else "local" (which says it does not know it).</summary>
    public async Task<KonsoleMachine> ForSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        await FindAsync(sessionId, cancellationToken) ?? Local;

    /// <summary>
    /// Asks every machine's konsole the same question at once (those offline included: they may be back); each answer
    /// comes with its machine, and a machine that fails is named with its problem instead.
    /// </summary>
    public async Task<AcrossMachines<T>> AskAllAsync<T>(Func<KonsoleClient, CancellationToken, Task<IReadOnlyList<T>>> ask, CancellationToken cancellationToken = default)
    {
        var machines = _machines;
        var answers = await Task.WhenAll(machines.Select(async machine =>
        {
            try
            {
                return (machine, Items: await ask(machine.Client, cancellationToken), Problem: (string?)null);
            }
            catch (Exception ex) when (ex is HttpRequestException or KonsoleException or System.Text.Json.JsonException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (machine, Items: (IReadOnlyList<T>)[], Problem: ex is OperationCanceledException ? "no answer in time" : ex.Message);
            }
        }));
        return new AcrossMachines<T>(
            [.. answers.SelectMany(a => a.Items.Select(item => new OnMachine<T>(a.machine, item)))],
            answers.Where(a => a.Problem is not null).ToDictionary(a => a.machine.Name, a => a.Problem!, StringComparer.Ordinal));
    }

    /// <summary>Every machine's console sessions (with <paramref name="search"/>: those matching), newest first, each placed on its machine.</summary>
    public async Task<AcrossMachines<SessionSummary>> GetSessionsAsync(string? search = null, CancellationToken cancellationToken = default)
    {
        var sessions = await AskAllAsync((client, ct) => client.GetSessionsAsync(search, ct), cancellationToken);
        foreach (var session in sessions.Items) Place(session.Item.SessionId, session.Machine);
        return sessions with { Items = [.. sessions.Items.OrderByDescending(s => s.Item.LastActivity)] };
    }

    /// <summary>The sessions only each machine's Claude Code store has, newest first, each placed on its machine.</summary>
    public async Task<AcrossMachines<CliSessionSummary>> GetCliSessionsAsync(string? search = null, CancellationToken cancellationToken = default)
    {
        var sessions = await AskAllAsync((client, ct) => client.GetCliSessionsAsync(search, ct), cancellationToken);
        foreach (var session in sessions.Items) _sessions.TryAdd(session.Item.SessionId, session.Machine);
        return sessions with { Items = [.. sessions.Items.OrderByDescending(s => s.Item.LastActivity)] };
    }

    /// <summary>The turns made with this requestId, on whichever machine ran them.</summary>
    public async Task<IReadOnlyList<OnMachine<TurnSummary>>> FindTurnsAsync(string requestId, CancellationToken cancellationToken = default) =>
        (await AskAllAsync((client, ct) => client.FindTurnsAsync(requestId, ct), cancellationToken)).Items;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _started = true;
            foreach (var machine in _machines) machine.Watch.Start();
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await Task.WhenAll(_machines.Select(m => m.Watch.StopAsync()));

    public void Dispose()
    {
        foreach (var machine in _machines) machine.Watch.Dispose();
    }

    private static async Task<bool> KnowsAsync(KonsoleMachine machine, string sessionId, bool cliStore, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(KonsoleWatch.AnswerWithin);
        try
        {
            if (cliStore) return await machine.Client.GetCliSessionAsync(sessionId, patience.Token) is not null;
            await machine.Client.GetSessionAsync(sessionId, patience.Token);
            return true;
        }
        catch (KonsoleException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException or System.Text.Json.JsonException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private KonsoleMachine Create(KonsoleHost host)
    {
        var http = _httpClients.CreateClient(nameof(KonsoleClient));
        http.BaseAddress = new Uri(host.Url.TrimEnd('/') + "/");
        http.Timeout = Timeout.InfiniteTimeSpan;
        if (!string.IsNullOrWhiteSpace(host.AccessToken)) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AccessToken);
        var client = new KonsoleClient(http);
        var watch = new KonsoleWatch(client, _bus, _time, _loggers.CreateLogger($"{typeof(KonsoleWatch).FullName}.{host.Name}"));
        var machine = new KonsoleMachine(host.Name.Trim(), client, watch);
        Watch(machine);
        return machine;
    }

    private void Watch(KonsoleMachine machine)
    {
        machine.Watch.StatusChanged += () =>
        {
            if (!_machines.Contains(machine)) return;
            foreach (var turn in machine.Watch.Status?.ActiveTurns ?? []) Place(turn.SessionId, machine);
            StatusChanged?.Invoke();
        };
        machine.Watch.TurnFollowed += (sessionId, turnId) =>
        {
            if (!_machines.Contains(machine)) return;
            Place(sessionId, machine);
            TurnFollowed?.Invoke(sessionId, turnId);
        };
        machine.Watch.TurnEnded += (requestId, end) =>
        {
            if (_machines.Contains(machine)) TurnEnded?.Invoke(requestId, end);
        };
    }
}
