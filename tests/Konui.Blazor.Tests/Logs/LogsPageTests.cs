using Bunit;
using Konui.Blazor.Components.Pages.Logs;
using Konui.Blazor.Logs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Konui.Blazor.Tests.Logs;

public sealed class LogsPageTests : KonuiComponentTest
{
    public LogsPageTests()
        : base(services => services.AddSingleton(_ => new LogBook(Path.Combine(Path.GetTempPath(), "konui-logs-" + Guid.NewGuid().ToString("N")), TimeProvider.System)))
    {
    }

    private LogBook _book => Services.GetRequiredService<LogBook>();

    private static IEnumerable<string> Messages(IRenderedComponent<LogsPage> page) => page.FindAll(".log-message").Select(m => m.TextContent);

    [Fact]
    public void Cli_stderr_logged_through_ilogger_shows_tagged_with_its_session()
    {
        using var factory = LoggerFactory.Create(b => b.AddProvider(new LogBookProvider(_book)));
        factory.CreateLogger("Konsole.ClaudeSession").LogWarning("claude [{Session}] stderr: {Line}", "11b2c1ba-6e57", "No conversation found");

        var page = Render<LogsPage>();

        var line = page.Find(".log-line");
        Assert.Equal("warn", line.GetAttribute("data-level"));
        Assert.Equal("11b2c1ba", line.QuerySelector(".log-session")!.TextContent);
        Assert.Contains("No conversation found", line.QuerySelector(".log-message")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void New_lines_arrive_live_and_pause_holds_them_back_until_resumed()
    {
        var page = Render<LogsPage>();
        _book.Add(LogLevel.Information, "Konui", "first", null, null);
        page.WaitForAssertion(() => Assert.Equal(["first"], Messages(page)));

        page.Find(".logs-pause").Click();
        _book.Add(LogLevel.Information, "Konui", "second", null, null);
        page.WaitForAssertion(() => Assert.Equal("Resume (1 new)", page.Find(".logs-pause").TextContent));
        Assert.Equal(["first"], Messages(page));

        page.Find(".logs-pause").Click();
        Assert.Equal(["first", "second"], Messages(page));
    }

    [Fact]
    public void Level_category_and_text_filters_narrow_the_lines()
    {
        _book.Add(LogLevel.Debug, "Konsole.TurnRunner", "read 3 turns", null, null);
        _book.Add(LogLevel.Warning, "Konui.Core.Kontasks.KontaskStore", "line 7: not a kontask", null, null);
        _book.Add(LogLevel.Error, "Konsole.ClaudeSession", "claude exited", "System.IO.IOException: pipe", "abc");
        var page = Render<LogsPage>();

        page.Find("select[aria-label=Level]").Change("Warning");
        Assert.Equal(["line 7: not a kontask", "claude exited"], Messages(page));
        Assert.Contains("IOException", page.Find(".log-exception").TextContent, StringComparison.Ordinal);

        page.Find("select[aria-label=Category]").Change("Konsole.ClaudeSession");
        Assert.Equal(["claude exited"], Messages(page));

        page.Find("select[aria-label=Category]").Change("");
        page.Find("input[type=search]").Input("KONTASK");
        Assert.Equal(["line 7: not a kontask"], Messages(page));
        Assert.Equal("api/logs/download", page.Find("a[download]").GetAttribute("href"));
    }

    [Fact]
    public void An_empty_log_says_what_will_appear()
    {
        Assert.Contains("Claude Code's own messages", Render<LogsPage>().Find(".konui-empty").TextContent, StringComparison.Ordinal);
    }
}
