namespace Konui.Blazor.Logs;

/// <summary>One line of Konui's own log. <see cref="Session"/> is the console session it concerns, when it says.</summary>
public sealed record LogEntry(long Seq, DateTimeOffset At, LogLevel Level, string Category, string Message, string? Exception, string? Session)
{
    public string ToLine() =>
        $"{At:yyyy-MM-dd HH:mm:ss.fff} {LevelName(Level)} {Category}{(Session is null ? "" : $" [{Session}]")}: {Message}{(Exception is null ? "" : "\n" + Exception)}";

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
