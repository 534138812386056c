namespace Konsole.Bench;

/// <summary>
/// A word of the streaming benchmark, in milliseconds after it was written: in the DOM, its next frame begun and
/// drawn (NaN when none came), and konsole's read of it from the CLI (NaN for a word that did not come through the CLI).
/// </summary>
internal readonly record struct PageWord(double Dom, double Frame, double Drawn, double Cli)
{
    public static PageWord Of(WordArrival arrival, double sentMs, double cli) => new(
        arrival.ArrivedMs - sentMs,
        arrival.FrameMs > 0 ? arrival.FrameMs - sentMs : double.NaN,
        arrival.DrawnMs > 0 ? arrival.DrawnMs - sentMs : double.NaN,
        cli);
}
