using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Turns;

namespace Konui.Blazor.Tests;

/// <summary>Finished turns as konsole lists them, for the pages that sum them up (Telemetry, Reports).</summary>
public static class EndedTurn
{
    public static TurnSummary At(DateTimeOffset at, double ms, double cost, string session = "s1", bool ok = true, IReadOnlyDictionary<string, int>? tools = null) =>
        new("turn_" + Guid.NewGuid().ToString("N"), session, "req_" + Guid.NewGuid().ToString("N"), $"prompt at {at:HH:mm}", at, at.AddMilliseconds(ms),
            TurnState.Ended, ok, ok ? null : "API Error: 500", "claude-test", cost, new TurnUsage(1200, 300, 50, 4000),
            new TurnTiming { TotalMs = ms, TtfeMs = 400, ThinkingMs = ms / 4, ToolExecutionMs = ms / 2 }, 12, tools);
}
