using System.Text.Json;
using System.Text.Json.Serialization;

namespace Konui.Core.Kontasks;

/// <summary>What a kontask shows: its HTML output, the choices offered and the timing of the turn that made it.</summary>
public sealed class KontaskContext
{
    public string? Output { get; set; }
    public DateTimeOffset? RequestedAt { get; set; }
    public string? RequestId { get; set; }
    public List<KontaskChoice>? Choices { get; set; }
    public TurnTiming? TurnTiming { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
