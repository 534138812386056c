using System.Globalization;

namespace Konsole.Bench;

/// <summary>
/// What the stand-in CLI is to do for a decision benchmark's prompt ("decisions=200"): that many Bash calls in one
/// turn, each asked about with a can_use_tool control request whose command is a <see cref="DeltaStamp"/> word, each
/// waiting for its control_response on stdin. The stand-in writes, for each answer, the round and the moment it read
/// it (Unix microseconds) as a line of <see cref="AnswersFile"/> in its working folder.
/// </summary>
internal sealed record DecisionPlan(int Rounds)
{
    public const string AnswersFile = "decision-answers.log";

    public string Prompt => string.Create(CultureInfo.InvariantCulture, $"decisions={Rounds}");

    /// <summary>The plan in a stream-json user line; null for any other line, or a prompt that is not a decision plan.</summary>
    public static DecisionPlan? FromUserLine(string line)
    {
        foreach (var word in (UserLine.Texts(line) ?? []).SelectMany(t => t.Split(' ', '\n')))
        {
            if (word.StartsWith("decisions=", StringComparison.Ordinal) && int.TryParse(word.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out var rounds))
            {
                return new DecisionPlan(rounds);
            }
        }
        return null;
    }
}
