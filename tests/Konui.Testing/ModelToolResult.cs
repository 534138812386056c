namespace Konui.Testing;

/// <summary>A <c>tool_result</c> block found in a user message of a request the CLI sent to the model.</summary>
/// <param name="ToolUseId">The <c>tool_use_id</c> it answers (a <c>toolu_...</c> id from an earlier reply).</param>
/// <param name="Content">Its content as text: a string content as is, an array's text blocks joined with newlines.</param>
/// <param name="IsError">The block's <c>is_error</c> (false when absent).</param>
public sealed record ModelToolResult(string ToolUseId, string Content, bool IsError);
