using System.Globalization;

namespace Konsole.Bench;

/// <summary>
/// What the stand-in CLI is to answer a prompt with: how many text deltas, at what rate (per second; 0 is as fast as
/// it can). The harness writes it as the prompt ("deltas=1000 rate=100"); the stand-in reads it from its stdin line.
/// </summary>
internal sealed record DeltaPlan(int Deltas, double PerSecond)
{
    /// <summary>What a prompt without a plan gets: a short answer at once.</summary>
    public static readonly DeltaPlan Quick = new(5, 0);

    public string Prompt => string.Create(CultureInfo.InvariantCulture, $"deltas={Deltas} rate={PerSecond}");

    /// <summary>The plan in a stream-json user line; null for a line that is not a user message.</summary>
    public static DeltaPlan? FromUserLine(string line) =>
        UserLine.Texts(line) is { } texts ? texts.Select(Parse).OfType<DeltaPlan>().FirstOrDefault() ?? Quick : null;

    private static DeltaPlan? Parse(string prompt)
    {
        var pairs = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return pairs.TryGetValue("deltas", out var deltas) && pairs.TryGetValue("rate", out var rate)
            ? new DeltaPlan(int.Parse(deltas, CultureInfo.InvariantCulture), double.Parse(rate, CultureInfo.InvariantCulture))
            : null;
    }
}
