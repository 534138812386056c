using System.Text.Json;
using Bunit;
using Konui.Blazor.Components.Pages.Kontasks;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Kontasks;

public sealed class KontaskDetailTests : KonuiComponentTest
{
    private const string Output = """<div class="konui-card"><h3>Build failure</h3><div id="d1"></div><script>renderMermaidDiagram('d1', 'graph TD; A-->B')</script></div>""";

    public KontaskDetailTests()
        : base(services => services.AddSingleton<ITurnPrompts>(new Prompts(new() { ["req-42"] = "Why does the build fail?" })))
    {
        Add("kt_card", "Fix TypeScript build failure", Now.AddHours(-4), k =>
        {
            k.Description = "tsc -b fails in src/api.ts";
            k.Type = "report";
            k.Status = "ready";
            k.Scope = "konui-app";
            k.Tags = ["build", "typescript"];
            k.CreatedBy = "claude-code";
            k.RequestId = "req-42";
            k.UpdatedAt = Now.AddHours(-1);
            k.Context = new KontaskContext
            {
                Output = Output,
                RequestId = "req-42",
                Choices =
                [
                    new KontaskChoice { Label = "Fix it now", Value = "Fix the type error in src/api.ts", Primary = true },
                    new KontaskChoice { Label = "Ignore", Value = "ignore" },
                ],
                TurnTiming = new TurnTiming { TotalMs = 12345, TtfeMs = 800, ThinkingMs = 3000, ToolExecutionMs = 4000, ToolCallCount = 4, TtfePct = 6, ThinkingPct = 24, ToolsPct = 32 },
            };
        });
    }

    private IRenderedComponent<KontaskDetail> Open(string id = "kt_card") => Render<KontaskDetail>(p => p.Add(x => x.Id, id));

    private static string Section(IRenderedComponent<KontaskDetail> page, string heading) =>
        page.FindAll("section").Single(s => s.QuerySelector("h2")?.TextContent == heading).TextContent;

    [Fact]
    public void Every_section_of_a_card_is_rendered()
    {
        var page = Open();

        Assert.Equal("kontasks", page.Find("a.kontask-back").GetAttribute("href"));
        Assert.Equal("Back to Kontasks", page.Find("a.kontask-back").TextContent.Trim());
        Assert.Equal("Fix TypeScript build failure", page.Find("h1").TextContent);
        Assert.Equal("tsc -b fails in src/api.ts", page.Find(".kontask-description").TextContent);

        Assert.Contains("Why does the build fail?", Section(page, "Original Request"), StringComparison.Ordinal);

        var details = page.Find(".kontask-details").Children.Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(["Type", "report", "Status", "ready", "Scope", "konui-app", "Tags", "buildtypescript", "Created", "2026-11-02 09:00", "Updated", "2026-11-02 12:00", "Request", "req-42"], details);

        var timing = Section(page, "Timing");
        Assert.Contains("12 s total", timing, StringComparison.Ordinal);
        Assert.Contains("4 tool calls", timing, StringComparison.Ordinal);
        Assert.Equal(["width: 6%", "width: 24%", "width: 32%"], page.FindAll(".kontask-timing-bar .segment").Select(s => s.GetAttribute("style")));
        Assert.Contains("TTFE 6%", timing, StringComparison.Ordinal);

        Assert.Equal("claude-code", page.Find(".kontask-created-by").TextContent);
    }

    [Fact]
    public void The_output_runs_in_a_sandboxed_frame_that_provides_mermaid()
    {
        var frame = Open().Find("iframe.kontask-frame");

        Assert.Equal("allow-scripts", frame.GetAttribute("sandbox"));
        var document = frame.GetAttribute("srcdoc")!;
        Assert.Contains(Output, document, StringComparison.Ordinal);
        Assert.Contains("lib/mermaid/mermaid.min.js", document, StringComparison.Ordinal);
        Assert.Contains("js/kontask-frame.js", document, StringComparison.Ordinal);
        Assert.True(document.IndexOf("kontask-frame.js", StringComparison.Ordinal) < document.IndexOf(Output, StringComparison.Ordinal),
            "renderMermaidDiagram must be defined before the card's scripts run");
    }

    [Fact]
    public void Choices_are_buttons_with_the_primary_one_emphasized_and_a_click_sends_the_next_prompt_to_the_kontasks_session()
    {
        Konsole.TurnsByRequestId["req-42"] = [Turn("turn_a", "session-of-the-card", "req-42")];
        var page = Open();

        var buttons = page.FindAll(".kontask-choices button");
        Assert.Equal(["Fix it now", "Ignore"], buttons.Select(b => b.TextContent));
        Assert.Contains("mud-button-filled-primary", buttons[0].ClassList);
        Assert.DoesNotContain("mud-button-filled-primary", buttons[1].ClassList);

        buttons[0].Click();
        page.WaitForAssertion(() => Assert.Equal("http://localhost/?session=session-of-the-card", Navigation.Uri));
        var sent = Assert.Single(Konsole.Started);
        Assert.Equal("Fix the type error in src/api.ts", sent.Prompt);
        Assert.Equal("session-of-the-card", sent.SessionId);
    }

    [Fact]
    public async Task A_choice_of_a_kontask_whose_session_is_unknown_starts_a_new_session_not_the_one_this_tab_had_open()
    {
        await Services.GetRequiredService<Konui.Blazor.Console.ConsoleSession>().OpenAsync("0e6f6a53-58d4-4d6b-9d5c-7f35d1b0a001");
        var page = Open();

        page.FindAll(".kontask-choices button")[0].Click();

        page.WaitForAssertion(() => Assert.Equal("http://localhost/?session=session-new", Navigation.Uri));
        Assert.Null(Assert.Single(Konsole.Started).SessionId);
    }

    [Fact]
    public void When_the_session_is_busy_a_choice_opens_the_dashboard_with_the_prompt_filled_in()
    {
        Konsole.TurnsByRequestId["req-42"] = [Turn("turn_a", "busy-session", "req-42")];
        Konsole.Busy = "Session busy-session is busy with turn turn_b";
        var page = Open();

        page.FindAll(".kontask-choices button")[1].Click();

        page.WaitForAssertion(() => Assert.Equal("http://localhost/?session=busy-session&prompt=ignore", Navigation.Uri));
        Assert.Empty(Konsole.Started);
    }

    private static Konui.Core.Konsole.TurnSummary Turn(string turnId, string sessionId, string requestId) =>
        new(turnId, sessionId, requestId, "Why does the build fail?", Now, Now, Konui.Core.Konsole.TurnState.Ended, true, null, null, null, null, null, 5);

    [Fact]
    public void Raw_data_is_pretty_json_of_the_record_and_can_be_copied()
    {
        var copy = JSInterop.Setup<bool>("konui.copyText", _ => true).SetResult(true);
        var page = Open();

        var raw = page.Find(".kontask-raw-json").TextContent;
        Assert.Contains("\n  \"id\": \"kt_card\"", raw, StringComparison.Ordinal);
        Assert.Equal("Fix the type error in src/api.ts", JsonDocument.Parse(raw).RootElement.GetProperty("context").GetProperty("choices")[0].GetProperty("value").GetString());

        page.Find(".kontask-copy").Click();
        Assert.Equal(raw, copy.Invocations.Single().Arguments[0]);
        Assert.Equal("Copied", page.Find(".kontask-copy").TextContent);
    }

    [Fact]
    public void The_page_re_renders_when_the_kontask_is_updated()
    {
        var page = Open();

        var updated = Store.Get("kt_card")!;
        updated.Status = "completed";
        updated.Context!.Output = "<p>Fixed.</p>";
        Store.Append(updated);

        page.WaitForAssertion(() => Assert.Equal("completed", page.Find(".kontask-title-row .konui-status").TextContent), TimeSpan.FromSeconds(5));
        Assert.Contains("<p>Fixed.</p>", page.Find("iframe").GetAttribute("srcdoc"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_known_prompt_or_timing_those_sections_are_left_out()
    {
        Add("kt_bare", "Bare", Now);

        var page = Open("kt_bare");

        Assert.DoesNotContain(page.FindAll("h2"), h => h.TextContent is "Original Request" or "Timing" or "Quick Actions");
        Assert.Contains("no output", Section(page, "Output"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_id_shows_a_clear_not_found_page()
    {
        var page = Open("kt_missing");

        Assert.Equal("Kontask not found", page.Find("h1").TextContent);
        Assert.Contains("kt_missing", page.Find(".kontask-missing").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("iframe"));
    }

    private sealed class Prompts(Dictionary<string, string> prompts) : ITurnPrompts
    {
        public Task<string?> FindPromptAsync(string requestId, CancellationToken cancellationToken = default) =>
            Task.FromResult(prompts.GetValueOrDefault(requestId));
    }
}
