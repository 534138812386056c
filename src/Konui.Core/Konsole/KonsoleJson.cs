using System.Text.Json;
using System.Text.Json.Serialization;
using Konui.Core.Turns;

namespace Konui.Core.Konsole;

/// <summary>How konsole's API writes and reads JSON: the same settings as turn events, enums as strings.</summary>
public static class KonsoleJson
{
    public static readonly JsonSerializerOptions Options = new(TurnEventJson.Options)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
