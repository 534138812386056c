using System.Text.Json;

namespace Konui.Core.Turns;

/// <summary>
/// How a decision was decided, once: by whom (<see cref="By"/>: the client that answered, or "konsole" when konsole
/// decided on its own), what went back to Claude Code (<see cref="Behavior"/> allow or deny, the deny
/// <see cref="Message"/> the model sees, the <see cref="UpdatedInput"/> and <see cref="UpdatedPermissions"/> sent), and
/// konsole's <see cref="Reason"/> when it decided (timed out, stopped, withdrawn, allowed earlier for this session).
/// The event's time is when the answer arrived; the control_response goes to the CLI right after it is recorded.
/// </summary>
public sealed record DecisionResult(
    string DecisionId,
    DecisionOutcome Outcome,
    string? Behavior,
    string? Message,
    string? Remember,
    JsonElement? UpdatedInput,
    JsonElement? UpdatedPermissions,
    bool Interrupt,
    string? By,
    string? Reason) : TurnEvent
{
    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string RememberForSession = "session";
}
