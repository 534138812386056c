using System.Text.Json;
using System.Text.Json.Serialization;

namespace Konui.Core.Kontasks;

/// <summary>
/// Where a turn's time went: total, time to first event, thinking and tool execution, and their shares in percent.
/// </summary>
public sealed class TurnTiming
{
    public double? TotalMs { get; set; }
    public double? TtfeMs { get; set; }
    public double? ThinkingMs { get; set; }
    public double? ToolExecutionMs { get; set; }
    public int? ToolCallCount { get; set; }
    public double? ThinkingPct { get; set; }
    public double? ToolsPct { get; set; }
    public double? TtfePct { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
