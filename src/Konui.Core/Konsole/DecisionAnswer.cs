using System.Text.Json;

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
    string? Client = null);
