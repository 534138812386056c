using System.Globalization;

namespace Konui.Blazor.Components.Pages.Sessions;

/// <summary>How sessions and turns read in lists: "3 turns", "1,200 in · 340 out".</summary>
public static class SessionText
{
    public static string Count(int count, string noun) => $"{count.ToString("N0", CultureInfo.InvariantCulture)} {noun}{(count == 1 ? "" : "s")}";

    public static string Tokens(long input, long output) =>
        $"{input.ToString("N0", CultureInfo.InvariantCulture)} in · {output.ToString("N0", CultureInfo.InvariantCulture)} out";

    /// <summary>A prompt on one line, cut at <paramref name="length"/> characters.</summary>
    public static string OneLine(string prompt, int length = 160)
    {
        var line = prompt.ReplaceLineEndings(" ").Trim();
        return line.Length > length ? line[..(length - 1)] + "…" : line;
    }
}
