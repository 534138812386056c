using System.Text.Json;
using System.Text.Json.Serialization;

namespace Konui.Core.Kontasks;

/// <summary>
/// What indexing reads of a kontask line: the fields of its <see cref="KontaskSummary"/>, with the same type checks as
/// a full <see cref="Kontask"/>, but without keeping the output (most of a line) or fields it does not know.
/// </summary>
internal sealed class KontaskIndexEntry
{
    public string Id { get; set; } = "";
    public string? Type { get; set; }
    public string? Status { get; set; }
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public IndexedContext? Context { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? RequestId { get; set; }
    public string? Scope { get; set; }
    public List<string>? Tags { get; set; }
    public string? TargetUser { get; set; }

    internal sealed class IndexedContext
    {
        /// <summary>Checked to be a string, never kept.</summary>
        [JsonConverter(typeof(UnkeptString))]
        public string? Output { get; set; }

        public DateTimeOffset? RequestedAt { get; set; }
        public string? RequestId { get; set; }
        public List<IndexedChoice>? Choices { get; set; }
        public TurnTiming? TurnTiming { get; set; }
    }

    internal sealed class IndexedChoice
    {
        public string Label { get; set; } = "";
        public string Value { get; set; } = "";
        public bool Primary { get; set; }
    }

    /// <summary>Accepts a JSON string (or null) without allocating it; anything else is the line's error.</summary>
    internal sealed class UnkeptString : JsonConverter<string?>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType is JsonTokenType.String or JsonTokenType.Null
                ? null
                : throw new JsonException($"context.output must be a string, not {reader.TokenType}");

        public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
