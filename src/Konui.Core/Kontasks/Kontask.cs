using System.Text.Json;
using System.Text.Json.Serialization;

namespace Konui.Core.Kontasks;

/// <summary>
/// A persistent rich card that Claude creates during a turn. One JSON object per line in kontasks.jsonl;
/// properties this version does not know are kept in <see cref="Extra"/> so they survive a read and a write.
/// </summary>
public sealed class Kontask
{
    public string Id { get; set; } = "";
    public string? Type { get; set; }
    public string? Status { get; set; }
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public KontaskContext? Context { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? RequestId { get; set; }
    public string? Scope { get; set; }
    public List<string>? Tags { get; set; }
    public string? TargetUser { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The turn this kontask belongs to: the top-level requestId, else the one in its context.</summary>
    [JsonIgnore]
    public string? TurnRequestId => RequestId ?? Context?.RequestId;

    public Kontask Clone() => KontaskJson.Deserialize(KontaskJson.Serialize(this))!;
}
