using System.Text.Json;
using Konui.Core.Turns;

namespace Konui.Core.Transcripts;

/// <summary>
/// A decision as a card shows it, at its tool call: what Claude Code asks (<see cref="Request"/>), where it stands
/// (<see cref="State"/>), and how it was decided (<see cref="Result"/>: by whom, when, with what message). A decision
/// still pending when its turn ends is withdrawn.
/// </summary>
public sealed class TranscriptDecision
{
    internal TranscriptDecision(DecisionRequest request)
    {
        Request = request;
        Change = FileDiff.OfToolInput(request.ToolName, request.Input);
    }

    public DecisionRequest Request { get; }

    /// <summary>What a Write, Edit or MultiEdit asked about would change, from its input: the card shows it before it is made.</summary>
    public FileDiff? Change { get; }

    public string DecisionId => Request.DecisionId;

    public string ToolName => Request.ToolName;

    public DecisionState State { get; internal set; } = DecisionState.Pending;

    public DecisionResult? Result { get; internal set; }

    public bool IsPending => State == DecisionState.Pending;

    /// <summary>An AskUserQuestion's questions (none for other tools).</summary>
    public IReadOnlyList<DecisionQuestion> Questions =>
        Request.ToolName == DecisionRequest.AskUserQuestionTool && Request.Input is { ValueKind: JsonValueKind.Object } input
        && input.TryGetProperty("questions", out var questions) && questions.ValueKind == JsonValueKind.Array
            ? questions.EnumerateArray().Where(q => Text(q, "question") is not null).Select(q => new DecisionQuestion(
                Text(q, "question")!,
                Text(q, "header"),
                q.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array
                    ? options.EnumerateArray().Where(o => Text(o, "label") is not null).Select(o => new DecisionOption(Text(o, "label")!, Text(o, "description"))).ToList()
                    : [],
                q.TryGetProperty("multiSelect", out var multi) && multi.ValueKind == JsonValueKind.True)).ToList()
            : [];

    /// <summary>The answers given to the questions, by question (empty until answered).</summary>
    public IReadOnlyDictionary<string, string> Answers =>
        Result?.UpdatedInput is { ValueKind: JsonValueKind.Object } input && input.TryGetProperty("answers", out var answers) && answers.ValueKind == JsonValueKind.Object
            ? answers.EnumerateObject().Where(a => a.Value.ValueKind == JsonValueKind.String).ToDictionary(a => a.Name, a => a.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>What "allow for this session" allows besides this call (the request's permission suggestions).</summary>
    public SessionAllowance SessionAllowance => _allowance ??= SessionAllowance.Of(Request.PermissionSuggestions);

    private SessionAllowance? _allowance;

    /// <summary>An ExitPlanMode's plan (Markdown), when the model wrote one.</summary>
    public string? Plan => Request.ToolName == DecisionRequest.ExitPlanModeTool && Request.Input is { } input ? Text(input, "plan") : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
