namespace Konui.Blazor.Console;

/// <summary>A subscription (a component's to a <see cref="ConsoleSession"/>, a session's to the SessionWatch): disposing it (once or more) ends it.</summary>
internal sealed class ConsoleSubscription(Action unsubscribe) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) unsubscribe();
    }
}
