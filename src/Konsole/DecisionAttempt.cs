using Konui.Core.Turns;

namespace Konsole;

/// <summary>
/// What came of an answer: <see cref="Recorded"/> when it decided the decision; when another came first, how that one
/// decided it (<see cref="Decided"/> false, <see cref="Recorded"/> the earlier result); or why it does not fit.
/// </summary>
internal sealed record DecisionAttempt(bool Decided, DecisionResult? Recorded, string? Error)
{
    /// <summary>The session has no open decision by that id.</summary>
    public static readonly DecisionAttempt NotOpen = new(false, null, null);
}
