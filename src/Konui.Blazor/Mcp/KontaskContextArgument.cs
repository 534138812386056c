using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Mcp;

/// <summary>The content of a new kontask, as konui_create_task takes it.</summary>
public sealed class KontaskContextArgument
{
    [Description(KontaskToolText.Output)]
    public string? Output { get; set; }

    [Description(KontaskToolText.Choices), MaxLength(KontaskLimits.Choices)]
    public List<KontaskChoiceArgument>? Choices { get; set; }

    [Description("Same as the top-level requestId."), MaxLength(KontaskLimits.ShortTextChars)]
    public string? RequestId { get; set; }

    [Description("When the user asked, ISO 8601 (e.g. 2026-01-31T09:30:00Z).")]
    public DateTimeOffset? RequestedAt { get; set; }

    /// <summary>Fields this version does not know; kept with the kontask.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
