using Konui.Blazor.Console;
using Konui.Core.Insights;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Reports;

/// <summary>
/// Builds a report from the turns of every machine's konsole (or of one, by name) and the kontask store: the page and
/// the downloads use the same one. A machine that does not answer fails the report, saying which: a report that
/// silently left out a machine's turns would be wrong.
/// </summary>
public sealed class UsageReports(Konsoles konsoles, KontaskStore store)
{
    public async Task<UsageReport> BuildAsync(DateOnly day, bool weekly, TimeZoneInfo zone, string? machine = null, CancellationToken cancellationToken = default)
    {
        var start = new DateTimeOffset(day.AddDays(weekly ? -7 : -1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var end = new DateTimeOffset(day.AddDays(weekly ? 8 : 2).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        List<KonsoleMachine> machines = machine is null ? [.. konsoles.All]
            : konsoles.Find(machine) is { } one ? [one]
            : throw new KonsoleException(System.Net.HttpStatusCode.NotFound, $"There is no konsole named \"{machine}\".");
        var turns = await konsoles.AskAllAsync((client, ct) => client.GetTurnsAsync(start, end, ct), cancellationToken);
        if (turns.Problems.Where(p => machines.Any(m => m.Name == p.Key)).Select(p => $"{p.Key}: {p.Value}").ToList() is { Count: > 0 } problems)
            throw new KonsoleException(System.Net.HttpStatusCode.BadGateway, string.Join("; ", problems));
        var kontasks = store.Query(new KontaskQuery(Take: int.MaxValue)).Items;
        var requests = turns.Items.Where(t => machines.Contains(t.Machine)).Select(t => t.Item).ToList();
        // A machine's report holds the kontasks of its turns; the report of every machine, every kontask.
        IEnumerable<KontaskSummary> shown = machine is null ? kontasks : [.. kontasks.Where(k => k.RequestId is { } id && requests.Any(t => t.RequestId == id))];
        return UsageReport.Build(requests, shown, day, weekly, zone);
    }

    public static IEndpointRouteBuilder MapReportDownloads(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/reports", async (string? period, string? date, string? tz, string? format, string? machine, UsageReports reports, TimeProvider time) =>
        {
            if (period is not (null or "day" or "week")) return Results.BadRequest(new { error = "period must be day or week." });
            if (format is not (null or "md" or "csv")) return Results.BadRequest(new { error = "format must be md or csv." });
            var zone = TimeZoneInfo.Utc;
            if (tz is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out zone)) return Results.BadRequest(new { error = $"Unknown time zone '{tz}'." });
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone!).DateTime);
            if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", out day)) return Results.BadRequest(new { error = "date must be yyyy-MM-dd." });
            UsageReport report;
            try
            {
                report = await reports.BuildAsync(day, period == "week", zone!, string.IsNullOrWhiteSpace(machine) ? null : machine.Trim());
            }
            catch (KonsoleException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
            {
                return Results.BadRequest(new { error = ex.Message });
            }
            catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
            {
                return Results.Problem($"Konsole did not give its turns: {ex.Message}", statusCode: StatusCodes.Status502BadGateway);
            }
            var name = $"konui-{(period == "week" ? "week" : "day")}-{day:yyyy-MM-dd}";
            return format == "csv"
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(report.ToCsv()), "text/csv; charset=utf-8", name + ".csv")
                : Results.File(System.Text.Encoding.UTF8.GetBytes(report.ToMarkdown()), "text/markdown; charset=utf-8", name + ".md");
        });
        return endpoints;
    }
}
