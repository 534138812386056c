using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konsole;

/// <summary>
/// What a user's answer means to Claude Code: checked against the request it answers, recorded as a decision_result,
/// and written as the control_response the CLI waits for.
/// </summary>
internal static class DecisionAnswers
{
    public const int MaxMessageLength = 10_000;
    public const int MaxClientLength = 200;
    public const string DefaultDenial = "The user denied this from Konui.";

    /// <summary>Why <paramref name="answer"/> cannot answer <paramref name="request"/>, or null when it can.</summary>
    public static string? Check(DecisionRequest request, DecisionAnswer answer, bool bypassAllowed)
    {
        var allow = answer.Behavior == DecisionResult.Allow;
        if (!allow && answer.Behavior != DecisionResult.Deny) return $"behavior must be \"allow\" or \"deny\", not \"{answer.Behavior}\".";
        if (answer.Message is { Length: > MaxMessageLength }) return $"The message is {answer.Message.Length} characters long; the limit is {MaxMessageLength}.";
        if (answer.Client is { Length: > MaxClientLength }) return $"client is {answer.Client.Length} characters long; the limit is {MaxClientLength}.";
        var question = request.ToolName == DecisionRequest.AskUserQuestionTool;
        var plan = request.ToolName == DecisionRequest.ExitPlanModeTool;
        if (answer.Remember is { } remember)
        {
            if (remember != DecisionResult.RememberForSession) return $"remember can only be \"session\", not \"{remember}\".";
            if (!allow) return "remember goes with allow: a denial is not remembered.";
            if (question || plan) return $"remember is for tool permissions; {request.ToolName} is answered each time.";
        }
        if (answer.UpdatedInput is { } input)
        {
            if (!allow) return "updatedInput goes with allow.";
            if (input.ValueKind != JsonValueKind.Object) return "updatedInput must be a JSON object: the tool's input as it should run.";
        }
        if (question && allow && (answer.UpdatedInput is not { } answered || !answered.TryGetProperty("answers", out var answers)
            || answers.ValueKind != JsonValueKind.Object || !answers.EnumerateObject().Any()))
        {
            return "Answer the questions: updatedInput is the question's input plus \"answers\": {\"<question>\": \"<chosen label or text>\"}.";
        }
        if (answer.Mode is { } mode)
        {
            if (!plan || !allow) return "mode goes with an approved plan (allow on ExitPlanMode): the mode to continue in.";
            if (!PermissionModes.All.Contains(mode, StringComparer.Ordinal)) return $"mode must be one of {string.Join(", ", PermissionModes.All)}, not \"{mode}\".";
            if (mode == PermissionModes.BypassPermissions && !bypassAllowed) return ClaudeSession.NoBypass;
        }
        return null;
    }

    /// <summary>The decision_result of a checked answer, by <paramref name="by"/>.</summary>
    public static DecisionResult Result(DecisionRequest request, DecisionAnswer answer, string by)
    {
        if (answer.Behavior == DecisionResult.Deny)
        {
            return new DecisionResult(request.DecisionId, DecisionOutcome.Denied, DecisionResult.Deny,
                string.IsNullOrWhiteSpace(answer.Message) ? DefaultDenial : answer.Message, null, null, null, false, by, null);
        }
        JsonElement? permissions = answer.Remember == DecisionResult.RememberForSession ? SessionSettings.ForThisSession(request)
            : answer.Mode is { } mode ? JsonSerializer.SerializeToElement(new JsonArray(new JsonObject { ["type"] = "setMode", ["mode"] = mode, ["destination"] = "session" }))
            : null;
        var outcome = request.ToolName == DecisionRequest.AskUserQuestionTool ? DecisionOutcome.Answered : DecisionOutcome.Allowed;
        return new DecisionResult(request.DecisionId, outcome, DecisionResult.Allow, null, answer.Remember, answer.UpdatedInput, permissions, false, by, null);
    }

    /// <summary>konsole's own answer: a denial (<paramref name="interrupt"/> also stops the turn) or an allow it was given for the session.</summary>
    public static DecisionResult ByKonsole(DecisionRequest request, bool allow, string? message, bool interrupt, string reason) =>
        allow
            ? new DecisionResult(request.DecisionId, DecisionOutcome.Allowed, DecisionResult.Allow, null, null, null, null, false, Turn.KonsoleBy, reason)
            : new DecisionResult(request.DecisionId, DecisionOutcome.Denied, DecisionResult.Deny, message, null, null, null, interrupt, Turn.KonsoleBy, reason);

    /// <summary>The control_response payload for <paramref name="result"/>: allow with the input to run (the request's own unless changed), or deny.</summary>
    public static JsonObject Response(DecisionRequest request, DecisionResult result)
    {
        if (result.Behavior == DecisionResult.Allow)
        {
            var response = new JsonObject
            {
                ["behavior"] = DecisionResult.Allow,
                ["updatedInput"] = JsonNode.Parse((result.UpdatedInput ?? request.Input)?.GetRawText() ?? "{}"),
            };
            if (result.UpdatedPermissions is { } permissions) response["updatedPermissions"] = JsonNode.Parse(permissions.GetRawText());
            return response;
        }
        var denial = new JsonObject { ["behavior"] = DecisionResult.Deny, ["message"] = result.Message ?? DefaultDenial };
        if (result.Interrupt) denial["interrupt"] = true;
        return denial;
    }
}
