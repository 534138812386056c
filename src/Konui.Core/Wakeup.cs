namespace Konui.Core;

/// <summary>
/// Wakes a loop that otherwise checks on a timer (a file that changed, a notification that new entries wait): any
/// number of wake-ups before the loop next waits make one.
/// </summary>
public sealed class Wakeup : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken already: one pass answers both.
        }
        catch (ObjectDisposedException)
        {
            // The loop has stopped.
        }
    }

    /// <summary>Waits until woken or <paramref name="interval"/> has passed; throws when <paramref name="stopping"/> is cancelled.</summary>
    public Task WaitAsync(TimeSpan interval, CancellationToken stopping) => _signal.WaitAsync(interval, stopping);

    public void Dispose() => _signal.Dispose();
}
