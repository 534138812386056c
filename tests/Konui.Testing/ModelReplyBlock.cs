namespace Konui.Testing;

/// <summary>One content block of a <see cref="ModelReply"/>: text, thinking or tool_use.</summary>
internal sealed class ModelReplyBlock
{
    private ModelReplyBlock(string type, string text, int chunks, TimeSpan delayBetweenChunks)
    {
        Type = type;
        Text = text;
        Chunks = Math.Max(1, chunks);
        DelayBetweenChunks = delayBetweenChunks < TimeSpan.Zero ? TimeSpan.Zero : delayBetweenChunks;
    }

    /// <summary><c>text</c>, <c>thinking</c> or <c>tool_use</c>.</summary>
    public string Type { get; }

    /// <summary>The text, the thinking, or the tool input as compact JSON.</summary>
    public string Text { get; }

    /// <summary>How many deltas the block's content is split into.</summary>
    public int Chunks { get; }

    /// <summary>Pause after each delta except the last.</summary>
    public TimeSpan DelayBetweenChunks { get; }

    /// <summary>Thinking blocks only: the signature sent as a <c>signature_delta</c>.</summary>
    public string Signature { get; private init; } = "";

    /// <summary>Tool-use blocks only.</summary>
    public string ToolName { get; private init; } = "";

    /// <summary>Tool-use blocks only: the <c>toolu_...</c> id, or empty to generate one per response.</summary>
    public string ToolUseId { get; private init; } = "";

    public static ModelReplyBlock ForText(string text, int chunks, TimeSpan delay) =>
        new("text", text, chunks, delay);

    public static ModelReplyBlock ForThinking(string thinking, string signature, int chunks, TimeSpan delay) =>
        new("thinking", thinking, chunks, delay) { Signature = signature };

    public static ModelReplyBlock ForToolUse(string toolName, string inputJson, string toolUseId, int chunks, TimeSpan delay) =>
        new("tool_use", inputJson, chunks, delay) { ToolName = toolName, ToolUseId = toolUseId };

    /// <summary>Splits <see cref="Text"/> into at most <see cref="Chunks"/> non-empty pieces of similar length.</summary>
    public IReadOnlyList<string> Split()
    {
        if (Text.Length == 0)
        {
            return [];
        }

        var count = Math.Min(Chunks, Text.Length);
        var pieces = new List<string>(count);
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            var end = (int)((long)Text.Length * (i + 1) / count);
            if (end < Text.Length && char.IsHighSurrogate(Text[end - 1]))
            {
                end++; // never cut a surrogate pair
            }

            if (end > start)
            {
                pieces.Add(Text[start..end]);
            }

            start = end;
        }

        return pieces;
    }
}
