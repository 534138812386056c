using System.Globalization;

namespace Konui.Blazor.Components.Time;

/// <summary>
/// The viewer's time zone, one per circuit: the server renders times, so it learns the browser's zone once
/// (see <see cref="ViewerTimeZone"/>) and formats every time in it. Until then times show in UTC, marked as such.
/// </summary>
public sealed class ViewerClock(TimeProvider time)
{
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public bool IsKnown { get; private set; }

    public DateTimeOffset Now => time.GetUtcNow();

    public event Action? Changed;

    public void UseZone(string? ianaId)
    {
        if (string.IsNullOrWhiteSpace(ianaId) || !TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone)) return;
        Zone = zone;
        IsKnown = true;
        Changed?.Invoke();
    }

    public string Format(DateTimeOffset value)
    {
        var local = TimeZoneInfo.ConvertTime(value, Zone);
        var text = local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return IsKnown ? text : text + " UTC";
    }

    public string Ago(DateTimeOffset value)
    {
        var span = Now - value;
        return span.TotalSeconds switch
        {
            < 0 => Format(value),
            < 60 => "just now",
            < 3600 => $"{(int)span.TotalMinutes} min ago",
            < 86400 => $"{(int)span.TotalHours} h ago",
            < 7 * 86400 => $"{(int)span.TotalDays} d ago",
            _ => Format(value),
        };
    }
}
