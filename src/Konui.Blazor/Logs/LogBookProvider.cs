namespace Konui.Blazor.Logs;

/// <summary>Writes everything Konui logs (at or above the configured levels) into the <see cref="LogBook"/>.</summary>
[ProviderAlias("LogBook")]
public sealed class LogBookProvider(LogBook book) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new BookLogger(book, categoryName);

    public void Dispose()
    {
    }

    private sealed class BookLogger(LogBook book, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string? session = null;
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                session = values.FirstOrDefault(v => v.Key == "Session").Value?.ToString();
            }
            book.Add(logLevel, category, formatter(state, exception), exception?.ToString(), session);
        }
    }
}
