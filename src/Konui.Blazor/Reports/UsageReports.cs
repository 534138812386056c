using Konui.Core.Insights;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Reports;

/// <summary>Builds a report from konsole's turns and the kontask store: the page and the downloads use the same one.</summary>
public sealed class UsageReports(KonsoleClient konsole, KontaskStore store)
{
    public async Task<UsageReport> BuildAsync(DateOnly day, bool weekly, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        var start = day.AddDays(weekly ? -7 : -1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = day.AddDays(weekly ? 8 : 2).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var turns = await konsole.GetTurnsAsync(new DateTimeOffset(start), new DateTimeOffset(end), cancellationToken);
        var kontasks = store.Query(new KontaskQuery(Take: int.MaxValue)).Items;
        return UsageReport.Build(turns, kontasks, day, weekly, zone);
    }

    public static IEndpointRouteBuilder MapReportDownloads(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/reports", async (string? period, string? date, string? tz, string? format, UsageReports reports, TimeProvider time) =>
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
                report = await reports.BuildAsync(day, period == "week", zone!);
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
