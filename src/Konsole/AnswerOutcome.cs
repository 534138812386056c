using Konui.Core.Turns;

namespace Konsole;

/// <summary>The HTTP answer to an answer: its status, the error in words, and the decision's result (the recorded one, or the earlier one on 409).</summary>
internal sealed record AnswerOutcome(int Status, string? Error, DecisionResult? Result)
{
    public static AnswerOutcome Refused(int status, string error) => new(status, error, null);
}
