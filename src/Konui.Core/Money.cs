using System.Globalization;

namespace Konui.Core;

/// <summary>How money reads wherever Konui shows it: US dollars to four places ("$0.0123"), as a turn costs fractions of a cent.</summary>
public static class Money
{
    public static string Usd(double usd) => "$" + usd.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>A cost that may be unknown: "—" then.</summary>
    public static string Usd(double? usd) => usd is { } known ? Usd(known) : "—";
}
