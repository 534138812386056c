using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core.Turns;

namespace Konui.Core.Konsole;

/// <summary>
/// POST /api/konsole/turns/{turnId}/decisions/{decisionId}: the user's answer. <see cref="Behavior"/> is "allow" or
/// "deny"; a deny's <see cref="Message"/> is what the model is told; <see cref="Remember"/> "session" allows the same
/// for the rest of the session (the request's permission suggestions, and this exact call); <see cref="UpdatedInput"/>
/// replaces the tool's input (an AskUserQuestion answer is its input plus "answers"); <see cref="Mode"/> is the
/// permission mode an approved plan continues in; <see cref="Client"/> says who answered (a tab, a phone), for the record.
/// </summary>
public sealed record DecisionAnswer(
    string Behavior,
    string? Message = null,
    string? Remember = null,
    JsonElement? UpdatedInput = null,
    string? Mode = null,
    string? Client = null)
{
    /// <summary>Allow once.</summary>
    public static DecisionAnswer Allow(string? client = null) => new(DecisionResult.Allow, Client: client);

    /// <summary>Allow, and the same for the rest of the session (the request's permission suggestions and this exact call).</summary>
    public static DecisionAnswer AllowForSession(string? client = null) => new(DecisionResult.Allow, Remember: DecisionResult.RememberForSession, Client: client);

    /// <summary>Deny, with the reason the model is told (konsole's default when none).</summary>
    public static DecisionAnswer Deny(string? reason = null, string? client = null) => new(DecisionResult.Deny, reason, Client: client);

    /// <summary>Approve a plan (ExitPlanMode), and continue in <paramref name="mode"/> (null: the mode Claude Code picks, default).</summary>
    public static DecisionAnswer ApprovePlan(string? mode = null, string? client = null) => new(DecisionResult.Allow, Mode: mode, Client: client);

    /// <summary>Keep planning: the plan is not approved, and the model is told <paramref name="feedback"/>.</summary>
    public static DecisionAnswer KeepPlanning(string feedback, string? client = null) => new(DecisionResult.Deny, feedback, Client: client);

    /// <summary>
    /// Answers an AskUserQuestion: its input plus "answers", question text to answer (the chosen label, or the user's
    /// own text for "Other"; a multi-select question's choices comma-separated, as Claude Code's schema says).
    /// </summary>
    public static DecisionAnswer Answer(DecisionRequest request, IReadOnlyDictionary<string, string> answers, string? client = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input is { ValueKind: JsonValueKind.Object } asked ? JsonNode.Parse(asked.GetRawText())!.AsObject() : [];
        var chosen = new JsonObject();
        foreach (var (question, answer) in answers) chosen[question] = answer;
        input["answers"] = chosen;
        return new(DecisionResult.Allow, UpdatedInput: JsonSerializer.SerializeToElement(input), Client: client);
    }
}
