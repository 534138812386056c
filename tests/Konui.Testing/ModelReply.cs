using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Konui.Testing;

/// <summary>
/// What <see cref="ScriptedModelApi"/> answers to one <c>/v1/messages</c> request: content blocks streamed as Anthropic
/// SSE (or returned as one JSON message when the request is not streaming), or an HTTP error.
/// Immutable: the <c>Then...</c>/<c>With...</c> methods return a new reply.
/// </summary>
public sealed class ModelReply
{
    /// <summary>Default number of deltas a text or thinking block is split into.</summary>
    public const int DefaultChunks = 3;

    private ModelReply()
    {
    }

    /// <summary>HTTP status of the response: 200, or the status given to <see cref="Error"/>.</summary>
    public int StatusCode { get; private set; } = 200;

    /// <summary>The Anthropic error type (<c>api_error</c>, <c>overloaded_error</c>, ...) of an error reply, else null.</summary>
    public string? ErrorType { get; private set; }

    /// <summary>The error message of an error reply (HTTP or mid-stream), else null.</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>The error type of the SSE <c>error</c> event that cuts the stream, or null.</summary>
    public string? StreamErrorType { get; private set; }

    /// <summary>The stop_reason sent in <c>message_delta</c>: <c>tool_use</c> when a tool_use block is present, else <c>end_turn</c>, unless overridden.</summary>
    public string StopReason => _stopReason ?? (Blocks.Any(b => b.Type == "tool_use") ? "tool_use" : "end_turn");

    /// <summary>Pause before the response starts (before the status line and headers).</summary>
    public TimeSpan InitialDelay { get; private set; }

    /// <summary>Usage override: input tokens (null: estimated from the request size).</summary>
    public int? InputTokens { get; private set; }

    /// <summary>Usage override: output tokens (null: estimated from the reply's length).</summary>
    public int? OutputTokens { get; private set; }

    internal IReadOnlyList<ModelReplyBlock> Blocks { get; private set; } = [];

    private string? _stopReason;

    /// <summary>A text reply streamed as <paramref name="chunks"/> <c>text_delta</c> events, <paramref name="delayBetweenChunks"/> apart.</summary>
    public static ModelReply Text(string text, int chunks = DefaultChunks, TimeSpan delayBetweenChunks = default) =>
        new ModelReply().ThenText(text, chunks, delayBetweenChunks);

    /// <summary>A thinking block (thinking_delta events then a signature_delta) followed by a text block.</summary>
    public static ModelReply Thinking(string thinking, string text, int chunks = DefaultChunks, TimeSpan delayBetweenChunks = default) =>
        new ModelReply().ThenThinking(thinking, chunks, delayBetweenChunks).ThenText(text, chunks, delayBetweenChunks);

    /// <summary>
    /// A tool call (stop_reason <c>tool_use</c>), optionally preceded by a text block. The input is streamed as
    /// <c>input_json_delta</c> events. <paramref name="toolUseId"/> defaults to a fresh <c>toolu_...</c> id per response.
    /// </summary>
    public static ModelReply ToolUse(string toolName, JsonObject input, string? leadingText = null, string? toolUseId = null)
    {
        var reply = new ModelReply();
        if (!string.IsNullOrEmpty(leadingText))
        {
            reply = reply.ThenText(leadingText);
        }

        return reply.ThenToolUse(toolName, input, toolUseId);
    }

    /// <summary>A Bash call (the tools Claude Code asks about before running them): <c>{"command", "description"}</c>.</summary>
    public static ModelReply Bash(string command, string description = "Run a command") =>
        ToolUse("Bash", new JsonObject { ["command"] = command, ["description"] = description }, leadingText: "I'll use Bash.");

    /// <summary>A Write call: <c>{"file_path", "content"}</c> (an absolute path, as the model gives it).</summary>
    public static ModelReply Write(string filePath, string content) =>
        ToolUse("Write", new JsonObject { ["file_path"] = filePath, ["content"] = content }, leadingText: "I'll use Write.");

    /// <summary>An Edit call: <c>{"file_path", "old_string", "new_string"}</c> (Claude Code edits only a file the conversation has read or written).</summary>
    public static ModelReply Edit(string filePath, string oldString, string newString) =>
        ToolUse("Edit", new JsonObject { ["file_path"] = filePath, ["old_string"] = oldString, ["new_string"] = newString }, leadingText: "I'll use Edit.");

    /// <summary>
    /// An AskUserQuestion call with one question: <c>{"questions": [{question, header, options: [{label, description}], multiSelect}]}</c>.
    /// </summary>
    public static ModelReply AskUserQuestion(string question, string header, IEnumerable<(string Label, string Description)> options, bool multiSelect = false)
    {
        var choices = new JsonArray();
        foreach (var (label, description) in options) choices.Add(new JsonObject { ["label"] = label, ["description"] = description });
        var asked = new JsonObject { ["question"] = question, ["header"] = header, ["options"] = choices, ["multiSelect"] = multiSelect };
        return ToolUse("AskUserQuestion", new JsonObject { ["questions"] = new JsonArray(asked) }, leadingText: "I have a question.");
    }

    /// <summary>An ExitPlanMode call, as this CLI's model makes it: no input (the CLI reads the plan from the plan file the model wrote).</summary>
    public static ModelReply ExitPlanMode() => ToolUse("ExitPlanMode", [], leadingText: "My plan is ready.");

    /// <summary>
    /// An HTTP error with an Anthropic error body <c>{"type":"error","error":{"type":...,"message":...}}</c>,
    /// e.g. <c>Error(500, "api_error", "Internal server error")</c> or <c>Error(529, "overloaded_error", "Overloaded")</c>.
    /// </summary>
    public static ModelReply Error(int status, string type, string message)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        ArgumentException.ThrowIfNullOrEmpty(type);
        return new ModelReply { StatusCode = status, ErrorType = type, ErrorMessage = message ?? "" };
    }

    /// <summary>HTTP 500 <c>api_error</c>.</summary>
    public static ModelReply ServerError(string message = "Internal server error") => Error(500, "api_error", message);

    /// <summary>HTTP 529 <c>overloaded_error</c>.</summary>
    public static ModelReply Overloaded(string message = "Overloaded") => Error(529, "overloaded_error", message);

    /// <summary>
    /// Starts streaming <paramref name="partialText"/>, then cuts the stream with an SSE <c>error</c> event (no
    /// content_block_stop, no message_stop). The CLI then retries the same request with <c>"stream": false</c>;
    /// a non-streaming request given this reply gets the partial text as a complete message.
    /// </summary>
    public static ModelReply MidStreamError(string partialText, string type = "overloaded_error", string message = "Overloaded") =>
        Text(partialText).ThenStreamError(type, message);

    /// <summary>Appends a text block.</summary>
    public ModelReply ThenText(string text, int chunks = DefaultChunks, TimeSpan delayBetweenChunks = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Append(ModelReplyBlock.ForText(text, chunks, delayBetweenChunks));
    }

    /// <summary>Appends a thinking block with a signature (random base64 unless given).</summary>
    public ModelReply ThenThinking(string thinking, int chunks = DefaultChunks, TimeSpan delayBetweenChunks = default, string? signature = null)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        return Append(ModelReplyBlock.ForThinking(thinking, signature ?? NewSignature(), chunks, delayBetweenChunks));
    }

    /// <summary>Appends a tool_use block (several make parallel tool calls).</summary>
    public ModelReply ThenToolUse(string toolName, JsonObject input, string? toolUseId = null, int chunks = DefaultChunks, TimeSpan delayBetweenChunks = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolName);
        ArgumentNullException.ThrowIfNull(input);
        return Append(ModelReplyBlock.ForToolUse(toolName, input.ToJsonString(), toolUseId ?? "", chunks, delayBetweenChunks));
    }

    /// <summary>Ends the stream after the blocks so far with an SSE <c>error</c> event instead of completing it.</summary>
    public ModelReply ThenStreamError(string type = "overloaded_error", string message = "Overloaded")
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        EnsureNotHttpError();
        var copy = Copy();
        copy.StreamErrorType = type;
        copy.ErrorMessage = message ?? "";
        return copy;
    }

    /// <summary>Waits <paramref name="delay"/> before answering (honours client disconnects).</summary>
    public ModelReply WithInitialDelay(TimeSpan delay)
    {
        var copy = Copy();
        copy.InitialDelay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        return copy;
    }

    /// <summary>Overrides the stop_reason (e.g. <c>max_tokens</c>).</summary>
    public ModelReply WithStopReason(string stopReason)
    {
        ArgumentException.ThrowIfNullOrEmpty(stopReason);
        var copy = Copy();
        copy._stopReason = stopReason;
        return copy;
    }

    /// <summary>Overrides the usage numbers reported for this reply.</summary>
    public ModelReply WithUsage(int inputTokens, int outputTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        var copy = Copy();
        copy.InputTokens = inputTokens;
        copy.OutputTokens = outputTokens;
        return copy;
    }

    /// <inheritdoc />
    public override string ToString() =>
        ErrorType is not null
            ? $"HTTP {StatusCode} {ErrorType}: {ErrorMessage}"
            : $"[{string.Join(", ", Blocks.Select(b => b.Type == "tool_use" ? $"tool_use {b.ToolName}" : b.Type))}] stop_reason={StopReason}"
              + (StreamErrorType is null ? "" : $" then stream error {StreamErrorType}");

    private ModelReply Append(ModelReplyBlock block)
    {
        EnsureNotHttpError();
        if (StreamErrorType is not null)
        {
            throw new InvalidOperationException("Nothing can follow a stream error.");
        }

        var copy = Copy();
        copy.Blocks = [.. Blocks, block];
        return copy;
    }

    private void EnsureNotHttpError()
    {
        if (ErrorType is not null)
        {
            throw new InvalidOperationException("An HTTP error reply has no content blocks.");
        }
    }

    private ModelReply Copy() => (ModelReply)MemberwiseClone();

    private static string NewSignature() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(96));
}
