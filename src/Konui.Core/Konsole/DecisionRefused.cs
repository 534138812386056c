using Konui.Core.Turns;

namespace Konui.Core.Konsole;

/// <summary>The body of a 409 to an answer: why it was refused, and how the decision was decided when it was.</summary>
public sealed record DecisionRefused(string Error, DecisionResult? Decided);
