namespace Konsole.Bench;

/// <summary>
/// A word as the page saw it: its number, when it landed in the DOM, when it was written (0 when the page cannot know),
/// when the next frame after it began and when that frame was drawn (0 when none came), all in Unix milliseconds.
/// </summary>
internal readonly record struct WordArrival(long Seq, double ArrivedMs, double SentMs, double FrameMs, double DrawnMs);
