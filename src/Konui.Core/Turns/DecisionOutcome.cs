using System.Text.Json.Serialization;

namespace Konui.Core.Turns;

/// <summary>How a decision ended: allowed, denied, answered (a question or plan answered), or withdrawn by Claude Code or by the turn's end.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DecisionOutcome>))]
public enum DecisionOutcome
{
    [JsonStringEnumMemberName("allowed")]
    Allowed,

    [JsonStringEnumMemberName("denied")]
    Denied,

    [JsonStringEnumMemberName("answered")]
    Answered,

    [JsonStringEnumMemberName("withdrawn")]
    Withdrawn,
}
