using System.Globalization;
using System.Text;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;

namespace Konui.Core.Insights;

/// <summary>A day's or a week's work, to keep or share: turns, success, cost, tokens, kontasks, the slowest turns.</summary>
public sealed record UsageReport(
    string Title,
    DateTimeOffset From,
    DateTimeOffset To,
    int Turns,
    int Succeeded,
    double CostUsd,
    long InputTokens,
    long OutputTokens,
    long CacheTokens,
    IReadOnlyList<KeyValuePair<string, int>> KontasksByScope,
    IReadOnlyList<KeyValuePair<string, int>> KontasksByTag,
    IReadOnlyList<KeyValuePair<string, int>> KontasksByStatus,
    IReadOnlyList<TurnSummary> SlowestTurns)
{
    public const int SlowestShown = 5;

    public double SuccessRate => Turns == 0 ? 0 : (double)Succeeded / Turns;

    public int Kontasks => KontasksByStatus.Sum(k => k.Value);

    /// <summary>The report for the local day (<paramref name="weekly"/>: the week from Monday) that contains <paramref name="day"/>.</summary>
    public static UsageReport Build(IEnumerable<TurnSummary> turns, IEnumerable<KontaskSummary> kontasks, DateOnly day, bool weekly, TimeZoneInfo zone)
    {
        var first = weekly ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;
        var last = first.AddDays(weekly ? 7 : 1);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(first.ToDateTime(TimeOnly.MinValue)));
        var to = new DateTimeOffset(last.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(last.ToDateTime(TimeOnly.MinValue)));
        var inRange = turns.Where(t => t.StartedAt >= from && t.StartedAt < to && t.State == TurnState.Ended).ToList();
        var made = kontasks.Where(k => k.CreatedAt >= from && k.CreatedAt < to).ToList();
        var title = weekly
            ? $"Week of {first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
            : first.ToString("dddd yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new UsageReport(
            title, from, to,
            inRange.Count,
            inRange.Count(t => t.Success == true),
            inRange.Sum(t => t.CostUsd ?? 0),
            inRange.Sum(t => t.Usage?.InputTokens ?? 0),
            inRange.Sum(t => t.Usage?.OutputTokens ?? 0),
            inRange.Sum(t => (t.Usage?.CacheCreationInputTokens ?? 0) + (t.Usage?.CacheReadInputTokens ?? 0)),
            Count(made.Select(k => k.Scope ?? "(none)")),
            Count(made.SelectMany(k => k.Tags.Count > 0 ? k.Tags : ["(none)"])),
            Count(made.Select(k => k.Status ?? "(none)")),
            inRange.Where(t => t.Timing?.TotalMs is not null).OrderByDescending(t => t.Timing!.TotalMs).Take(SlowestShown).ToList());
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Konui report: {Title}");
        md.AppendLine();
        md.AppendLine("| measure | value |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| turns | {Turns} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| success rate | {SuccessRate:P0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| cost | {Money.Usd(CostUsd)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| tokens in / out / cache | {InputTokens:N0} / {OutputTokens:N0} / {CacheTokens:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| kontasks | {Kontasks} |");
        foreach (var (heading, counts) in new[] { ("scope", KontasksByScope), ("tag", KontasksByTag), ("status", KontasksByStatus) })
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Kontasks by {heading}");
            md.AppendLine();
            foreach (var (name, count) in counts) md.AppendLine(CultureInfo.InvariantCulture, $"- {Escape(name)}: {count}");
            if (counts.Count == 0) md.AppendLine("- none");
        }
        md.AppendLine();
        md.AppendLine("## Slowest turns");
        md.AppendLine();
        foreach (var turn in SlowestTurns)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {turn.Timing!.TotalMs / 1000:0.0} s: {Escape(Shorten(turn.Prompt))} ({(turn.Success == true ? "ok" : turn.Error ?? "failed")})");
        }
        if (SlowestTurns.Count == 0) md.AppendLine("- none");
        return md.ToString();
    }

    public string ToCsv()
    {
        var csv = new StringBuilder("section,name,value\n");
        void Row(string section, string name, string value) => csv.Append(Cell(section)).Append(',').Append(Cell(name)).Append(',').Append(Cell(value)).Append('\n');
        Row("summary", "period", Title);
        Row("summary", "turns", Turns.ToString(CultureInfo.InvariantCulture));
        Row("summary", "succeeded", Succeeded.ToString(CultureInfo.InvariantCulture));
        Row("summary", "cost_usd", CostUsd.ToString("0.######", CultureInfo.InvariantCulture));
        Row("summary", "input_tokens", InputTokens.ToString(CultureInfo.InvariantCulture));
        Row("summary", "output_tokens", OutputTokens.ToString(CultureInfo.InvariantCulture));
        Row("summary", "cache_tokens", CacheTokens.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, count) in KontasksByScope) Row("kontasks_by_scope", name, count.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, count) in KontasksByTag) Row("kontasks_by_tag", name, count.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, count) in KontasksByStatus) Row("kontasks_by_status", name, count.ToString(CultureInfo.InvariantCulture));
        foreach (var turn in SlowestTurns) Row("slowest_turn_ms", turn.Prompt, turn.Timing!.TotalMs!.Value.ToString("0", CultureInfo.InvariantCulture));
        return csv.ToString();
    }

    private static List<KeyValuePair<string, int>> Count(IEnumerable<string> names) =>
        names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Select(g => new KeyValuePair<string, int>(g.Key, g.Count()))
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.OrdinalIgnoreCase).ToList();

    private static string Shorten(string prompt)
    {
        var line = prompt.ReplaceLineEndings(" ");
        return line.Length > 80 ? line[..79] + "…" : line;
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>
    /// One CSV cell. Text a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR: a tag or a
    /// prompt is anyone's text) gets a leading single quote, so it shows as text (OWASP's advice).
    /// </summary>
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
