using System.Globalization;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Components.Time;

/// <summary>How a turn's timing reads in a list row: "12.3 s · 4 tools".</summary>
public static class TimingText
{
    public static string? Summary(TurnTiming? timing)
    {
        if (timing?.TotalMs is not { } total) return null;
        var text = Seconds(total);
        return timing.ToolCallCount is { } tools ? $"{text} · {tools} tool{(tools == 1 ? "" : "s")}" : text;
    }

    public static string Seconds(double milliseconds) =>
        (milliseconds / 1000).ToString(milliseconds < 10_000 ? "0.0" : "0", CultureInfo.InvariantCulture) + " s";

    public static string Percent(double? share) =>
        share is { } p ? p.ToString("0", CultureInfo.InvariantCulture) + "%" : "—";
}
