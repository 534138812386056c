using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Testing;

/// <summary>
/// Reads a turn's events in the background as they come (resuming after a dropped stream), so a test can wait for one
/// (a decision to answer) while the turn goes on, then for the end.
/// </summary>
public sealed class TurnWatch : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<TurnEvent> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private TurnWatch(KonsoleClient konsole, string turnId)
    {
        TurnId = turnId;
        _reading = Task.Run(() => ReadAsync(konsole));
    }

    public string TurnId { get; }

    public IReadOnlyList<TurnEvent> Events
    {
        get { lock (_gate) return [.. _events]; }
    }

    public static TurnWatch Start(KonsoleClient konsole, string turnId) => new(konsole, turnId);

    /// <summary>The first event of type <typeparamref name="T"/> matching <paramref name="match"/>, once it has come.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null) where T : TurnEvent
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var events = Events;
            if (events.OfType<T>().FirstOrDefault(e => match?.Invoke(e) ?? true) is { } found) return found;
            if (events.Count > 0 && events[^1].IsTerminal)
            {
                throw new InvalidOperationException($"Turn {TurnId} ended without the {typeof(T).Name} awaited: {string.Join(", ", events.Select(Describe))}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {typeof(T).Name} in turn {TurnId} within {timeout ?? TimeSpan.FromSeconds(60)}: {string.Join(", ", events.Select(Describe))}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Every event of the turn, once it has ended.</summary>
    public async Task<IReadOnlyList<TurnEvent>> EndAsync(TimeSpan? timeout = null)
    {
        await WaitForAsync<TurnEnd>(timeout: timeout);
        return Events;
    }

    private async Task ReadAsync(KonsoleClient konsole)
    {
        long last = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var turnEvent in konsole.ReadEventsAsync(TurnId, last, _stop.Token))
                {
                    lock (_gate) _events.Add(turnEvent);
                    last = turnEvent.Seq;
                    if (turnEvent.IsTerminal) return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string Describe(TurnEvent e) => e switch
    {
        AssistantBlock b => $"assistant {b.BlockType} {b.ToolName}",
        ToolResult r => $"tool_result {(r.IsError ? "error " : "")}{r.Content}",
        DecisionRequest d => $"decision_request {d.ToolName}",
        DecisionResult d => $"decision_result {d.Outcome}",
        TurnEnd end => $"turn_end {end.Success} {end.Error}",
        _ => TurnEventJson.TypeName(e),
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
        }
        _stop.Dispose();
    }
}
