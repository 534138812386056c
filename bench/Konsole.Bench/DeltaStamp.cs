using System.Globalization;

namespace Konsole.Bench;

/// <summary>
/// The text of one benchmark delta: its number and the moment it was written, in Unix microseconds, as one word
/// ("s12t1767225600123456 "). Receivers read the send time from the text itself: .NET's clock and the browser's
/// Date.now() read the same system clock.
/// </summary>
internal static class DeltaStamp
{
    public static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    public static string Word(int seq) => Word(seq, NowMicros());

    /// <summary>A word that says it was written at <paramref name="writtenMicros"/> (Unix microseconds).</summary>
    public static string Word(int seq, long writtenMicros) => string.Create(CultureInfo.InvariantCulture, $"s{seq}t{writtenMicros} ");

    /// <summary>Reads a word written by <see cref="Word"/>; false for any other text.</summary>
    public static bool TryRead(ReadOnlySpan<char> text, out int seq, out long sentMicros)
    {
        seq = 0;
        sentMicros = 0;
        text = text.Trim();
        var t = text.IndexOf('t');
        return text.Length > 3 && text[0] == 's' && t > 1
            && int.TryParse(text[1..t], NumberStyles.None, CultureInfo.InvariantCulture, out seq)
            && long.TryParse(text[(t + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out sentMicros);
    }
}
