using System.Globalization;
using Konui.Core.Insights;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Tests.Turns;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Insights;

/// <summary>Telemetry and reports over turns whose usage and cost are the CLI's own recorded result messages.</summary>
public sealed class InsightsTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2026-11-18T08:00:00Z", CultureInfo.InvariantCulture);

    private static TurnResult RecordedResult(string recording) => Recordings.Parse(recording).OfType<TurnResult>().First();

    /// <summary>A finished turn as konsole lists it, with a recorded result's usage and cost.</summary>
    private static TurnSummary Turn(string recording, DateTimeOffset startedAt, double totalMs, string prompt = "prompt", string session = "s1",
        IReadOnlyDictionary<string, int>? tools = null, double thinkingMs = 0, double toolsMs = 0, double ttfeMs = 100)
    {
        var result = RecordedResult(recording);
        return new TurnSummary("turn_" + Guid.NewGuid().ToString("N"), session, "req", prompt, startedAt, startedAt.AddMilliseconds(totalMs),
            TurnState.Ended, !result.IsError, result.IsError ? "failed" : null, "claude", result.TotalCostUsd, result.Usage,
            new TurnTiming { TotalMs = totalMs, TtfeMs = ttfeMs, ThinkingMs = thinkingMs, ToolExecutionMs = toolsMs }, 10, tools);
    }

    [Fact]
    public void Telemetry_sums_the_recorded_usage_and_cost_per_day_in_the_viewers_time_zone()
    {
        var tools = RecordedResult("v2.1.329/turn-tools.jsonl");
        var simple = RecordedResult("v2.1.329/turn-simple.jsonl");
        var turns = new[]
        {
            Turn("v2.1.329/turn-tools.jsonl", Day, 4000, tools: new Dictionary<string, int> { ["Bash"] = 1, ["Read"] = 1, ["mcp__konui__konui_create_task"] = 1 }),
            Turn("v2.1.329/turn-simple.jsonl", Day.AddHours(1), 1000, tools: new Dictionary<string, int> { ["Bash"] = 2 }),
            Turn("v2.1.329/turn-simple.jsonl", DateTimeOffset.Parse("2026-11-18T23:30:00Z", CultureInfo.InvariantCulture), 2000),
            Turn("v2.1.329/turn-api-error.jsonl", Day.AddDays(-30), 500),
        };

        var snapshot = Telemetry.Compute(turns, Day.AddDays(-7), Day.AddDays(7), Berlin);

        Assert.Equal(3, snapshot.Turns);
        Assert.False(snapshot.Hourly);
        Assert.Equal([new DateTime(2026, 11, 18), new DateTime(2026, 11, 19)], snapshot.Buckets.Select(b => b.Start));
        var first = snapshot.Buckets[0];
        Assert.Equal(2, first.Turns);
        Assert.Equal(tools.Usage!.InputTokens + simple.Usage!.InputTokens, first.InputTokens);
        Assert.Equal(tools.Usage.OutputTokens + simple.Usage.OutputTokens, first.OutputTokens);
        Assert.Equal(tools.Usage.CacheReadInputTokens + simple.Usage.CacheReadInputTokens, first.CacheReadTokens);
        Assert.Equal(tools.TotalCostUsd!.Value + simple.TotalCostUsd!.Value, first.CostUsd, 9);
        Assert.Equal(2500, first.AverageDurationMs);
        Assert.Equal(tools.TotalCostUsd.Value + 2 * simple.TotalCostUsd.Value, snapshot.TotalCostUsd, 9);
        Assert.Equal([new KeyValuePair<string, int>("Bash", 3), new("Read", 1), new("mcp__konui__konui_create_task", 1)], snapshot.ToolCalls);
        Assert.Equal(2000, snapshot.Duration.P50);
        Assert.Equal(3800, snapshot.Duration.P95);
    }

    [Fact]
    public void Telemetry_shares_weigh_each_turn_by_its_time_and_a_session_filter_narrows_it()
    {
        var turns = new[]
        {
            Turn("v2.1.329/turn-simple.jsonl", Day, 1000, session: "a", thinkingMs: 500, toolsMs: 0, ttfeMs: 100),
            Turn("v2.1.329/turn-simple.jsonl", Day, 3000, session: "b", thinkingMs: 0, toolsMs: 1500, ttfeMs: 300),
        };

        var all = Telemetry.Compute(turns, Day.AddHours(-1), Day.AddHours(1), TimeZoneInfo.Utc);
        Assert.True(all.Hourly);
        Assert.Equal(12.5, all.ThinkingShare);
        Assert.Equal(37.5, all.ToolsShare);
        Assert.Equal(10, all.TtfeShare);

        var onlyB = Telemetry.Compute(turns, Day.AddHours(-1), Day.AddHours(1), TimeZoneInfo.Utc, sessionId: "b");
        Assert.Equal(1, onlyB.Turns);
        Assert.Equal(50, onlyB.ToolsShare);
    }

    [Fact]
    public void An_empty_range_has_no_percentiles()
    {
        var snapshot = Telemetry.Compute([], Day, Day.AddDays(1), TimeZoneInfo.Utc);
        Assert.Equal(0, snapshot.Turns);
        Assert.Null(snapshot.Duration.P50);
        Assert.Empty(snapshot.Buckets);
    }

    [Fact]
    public void A_weekly_report_counts_the_monday_to_sunday_week_and_exports_markdown_and_csv()
    {
        var monday = DateTimeOffset.Parse("2026-11-16T09:00:00+01:00", CultureInfo.InvariantCulture);
        var turns = new[]
        {
            Turn("v2.1.329/turn-simple.jsonl", monday, 1000, prompt: "quick question"),
            Turn("v2.1.329/turn-tools.jsonl", monday.AddDays(3), 9000, prompt: "run the build, then \"fix\" it"),
            Turn("v2.1.329/turn-api-error.jsonl", monday.AddDays(6), 500, prompt: "overloaded"),
            Turn("v2.1.329/turn-simple.jsonl", monday.AddDays(7), 700, prompt: "next week"),
        };
        var kontasks = new[]
        {
            Kontask("web", "ready", monday.AddHours(1), "ci", "build"),
            Kontask("web", "completed", monday.AddDays(2)),
            Kontask(null, "ready", monday.AddDays(9)),
        };

        var report = UsageReport.Build(turns, kontasks, new DateOnly(2026, 11, 19), weekly: true, Berlin);

        Assert.Equal("Week of 2026-11-16", report.Title);
        Assert.Equal(3, report.Turns);
        Assert.Equal(2, report.Succeeded);
        Assert.Equal(2 / 3.0, report.SuccessRate, 6);
        Assert.Equal(RecordedResult("v2.1.329/turn-simple.jsonl").TotalCostUsd!.Value + RecordedResult("v2.1.329/turn-tools.jsonl").TotalCostUsd!.Value, report.CostUsd, 9);
        Assert.Equal(2, report.Kontasks);
        Assert.Equal([new KeyValuePair<string, int>("web", 2)], report.KontasksByScope);
        Assert.Equal(["(none)", "build", "ci"], report.KontasksByTag.Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["run the build, then \"fix\" it", "quick question", "overloaded"], report.SlowestTurns.Select(t => t.Prompt));

        var markdown = report.ToMarkdown();
        Assert.StartsWith("# Konui report: Week of 2026-11-16", markdown, StringComparison.Ordinal);
        Assert.Contains("| turns | 3 |", markdown, StringComparison.Ordinal);
        Assert.Contains("- 9.0 s: run the build, then \"fix\" it (ok)", markdown, StringComparison.Ordinal);
        var csv = report.ToCsv().Split('\n');
        Assert.Equal("section,name,value", csv[0]);
        Assert.Contains("summary,turns,3", csv);
        Assert.Contains("kontasks_by_scope,web,2", csv);
        Assert.Contains("slowest_turn_ms,\"run the build, then \"\"fix\"\" it\",9000", csv);
    }

    [Fact]
    public void Csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised_and_the_csv_stays_well_formed()
    {
        var monday = DateTimeOffset.Parse("2026-11-16T09:00:00+01:00", CultureInfo.InvariantCulture);
        var turns = new[]
        {
            Turn("v2.1.329/turn-simple.jsonl", monday, 1000, prompt: "+1+cmd|' /C calc'!A0"),
            Turn("v2.1.329/turn-simple.jsonl", monday, 2000, prompt: "\tleading tab, and a comma"),
            Turn("v2.1.329/turn-simple.jsonl", monday, 3000, prompt: "\r=1+1"),
        };
        var kontasks = new[]
        {
            Kontask("=cmd|' /C calc'!A0", "ready", monday.AddHours(1), "-2+3", "@SUM(A1:A9)", "plain", "a=b"),
        };

        var csv = UsageReport.Build(turns, kontasks, new DateOnly(2026, 11, 16), weekly: false, Berlin).ToCsv();

        var lines = csv.Split('\n');
        Assert.Contains("kontasks_by_scope,'=cmd|' /C calc'!A0,1", lines);
        Assert.Contains("kontasks_by_tag,'-2+3,1", lines);
        Assert.Contains("kontasks_by_tag,'@SUM(A1:A9),1", lines);
        Assert.Contains("kontasks_by_tag,plain,1", lines);
        Assert.Contains("kontasks_by_tag,a=b,1", lines);
        Assert.Contains("slowest_turn_ms,'+1+cmd|' /C calc'!A0,1000", lines);
        Assert.Contains("slowest_turn_ms,\"'\tleading tab, and a comma\",2000", lines);
        Assert.Contains("slowest_turn_ms,\"'\r=1+1\",3000", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.Length > 0 && line.Split(',').Skip(1).Any(cell => cell.Length > 0 && "=+-@".Contains(cell[0], StringComparison.Ordinal)));
    }

    [Fact]
    public void A_daily_report_of_a_quiet_day_is_empty_but_well_formed()
    {
        var report = UsageReport.Build([], [], new DateOnly(2026, 11, 20), weekly: false, TimeZoneInfo.Utc);

        Assert.Equal("Friday 2026-11-20", report.Title);
        Assert.Equal(0, report.Turns);
        Assert.Contains("## Slowest turns\n\n- none", report.ToMarkdown().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(8, report.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static KontaskSummary Kontask(string? scope, string status, DateTimeOffset createdAt, params string[] tags) =>
        KontaskSummary.From(new Kontask { Id = Guid.NewGuid().ToString(), Title = "k", Scope = scope, Status = status, CreatedAt = createdAt, Tags = [.. tags] }, 0, 0, 1);
}
