using System.Text.Json;
using System.Text.Json.Serialization;

namespace Konui.Core.Kontasks;

/// <summary>A clickable answer on a kontask: its value becomes the next prompt.</summary>
public sealed class KontaskChoice
{
    public string Label { get; set; } = "";
    public string Value { get; set; } = "";
    public bool Primary { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
