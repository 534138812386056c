using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Konui.Blazor.Components.Pages.Dashboard;
using Konui.Blazor.Console;
using Konui.Core.Kontasks;
using Konui.Core.Transcripts;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;
using DashboardPage = Konui.Blazor.Components.Pages.Dashboard.Dashboard;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>The conversation on the dashboard, from konsole's turns (the real CLI's recordings) and the live bus.</summary>
public sealed class TranscriptViewTests() : DashboardTest(services =>
    Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.Configure<Konui.Blazor.Hosting.KonuiOptions>(services, o => o.ImageHosts.Add("IMG.allowed.example")))
{
    private IRenderedComponent<DashboardPage> OpenWith(IEnumerable<string> lines, string prompt = "What is this project?", TurnEnd? end = null)
    {
        AddEndedTurn("t1", lines, prompt, Now.AddMinutes(-5), end);
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find("article.turn .turn-result"));
        return page;
    }

    private static IElement Turn(IRenderedComponent<DashboardPage> page) => page.Find("article.turn");

    /// <summary>What the turn shows, top to bottom, by the kind of block.</summary>
    private static List<string> Blocks(IRenderedComponent<DashboardPage> page) =>
        Turn(page).Children.Select(e => e.ClassList.First()).ToList();

    /// <summary>The recording with the text of its assistant text blocks replaced.</summary>
    private static IEnumerable<string> WithAssistantText(IEnumerable<string> lines, string text) => lines.Select(line =>
    {
        var node = JsonNode.Parse(line)!;
        if (node["type"]?.GetValue<string>() != "assistant") return line;
        node["message"]!["content"]![0]!["text"] = text;
        return node.ToJsonString();
    });

    /// <summary>The recording with its one tool result's text replaced.</summary>
    private static IEnumerable<string> WithToolResult(IEnumerable<string> lines, string text) => lines.Select(line =>
    {
        var node = JsonNode.Parse(line)!;
        if (node["type"]?.GetValue<string>() != "user") return line;
        node["message"]!["content"]![0]!["content"]![0]!["text"] = text;
        return node.ToJsonString();
    });

    [Fact]
    public void A_turn_of_ten_thousand_events_draws_its_newest_400_steps_and_earlier_ones_on_request()
    {
        var script = new TurnScript("t_long", SessionId, "req_long", "Check every file", Now.AddMinutes(-30)).Init();
        for (var i = 1; i <= 5_000; i++) script.Tool("Bash", $$"""{"command":"wc -l file{{i}}.cs"}""", $"{i} file{i}.cs");
        Konsole.AddTurn(script.End(true, 1_800_000, 2.5));
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find("article.turn .turn-result"));

        List<string> Shown() => page.FindAll(".tool-call .terminal-output").Select(e => e.TextContent).ToList();
        Assert.Equal(400, Shown().Count);
        Assert.Equal("4601 file4601.cs", Shown()[0]);
        Assert.Equal("5000 file5000.cs", Shown()[^1]);
        Assert.Equal("Show 400 earlier steps (4,600 not shown)", page.Find(".turn-earlier-steps").TextContent);

        page.Find(".turn-earlier-steps").Click();

        Assert.Equal(800, Shown().Count);
        Assert.Equal("4201 file4201.cs", Shown()[0]);
        Assert.Equal("Show 400 earlier steps (4,200 not shown)", page.Find(".turn-earlier-steps").TextContent);
    }

    [Fact]
    public void A_subagents_450_steps_show_inside_its_agent_call_newest_400_first()
    {
        var lines = new List<string>
        {
            """{"type":"assistant","message":{"id":"msg_main","role":"assistant","model":"claude-test","content":[{"type":"tool_use","id":"toolu_agent","name":"Agent","input":{"description":"Read every test","prompt":"Read the tests","subagent_type":"general-purpose"}}]},"parent_tool_use_id":null,"session_id":"s"}""",
        };
        for (var i = 1; i <= 450; i++)
        {
            lines.Add($$$"""{"type":"assistant","message":{"id":"msg_sub{{{i}}}","role":"assistant","model":"claude-test","content":[{"type":"tool_use","id":"toolu_read{{{i}}}","name":"Read","input":{"file_path":"test{{{i}}}.cs"}}]},"parent_tool_use_id":"toolu_agent","session_id":"s"}""");
            lines.Add($$$"""{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_read{{{i}}}","content":"{{{i}}} lines"}]},"parent_tool_use_id":"toolu_agent","session_id":"s"}""");
        }
        lines.Add("""{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_agent","content":"Read 450 tests."}]},"parent_tool_use_id":null,"session_id":"s"}""");
        var page = OpenWith(lines, "Read every test");

        var agent = page.Find("article.turn > .tool-call[data-tool='Agent']");
        Assert.Contains("Read every test", agent.QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("done · 450 steps", agent.QuerySelector("summary")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("article.turn > .tool-call[data-tool='Read']"));
        List<string> Shown() => page.FindAll(".tool-steps > .tool-call[data-tool='Read'] .tool-result").Select(e => e.TextContent).ToList();
        Assert.Equal(400, Shown().Count);
        Assert.Equal("51 lines", Shown()[0]);
        Assert.Equal("Show 50 earlier steps (50 not shown)", page.Find(".tool-earlier-steps").TextContent);

        page.Find(".tool-earlier-steps").Click();

        Assert.Equal(450, Shown().Count);
        Assert.Equal("1 lines", Shown()[0]);
        Assert.Empty(page.FindAll(".tool-earlier-steps"));
    }

    [Fact]
    public void The_prompt_and_the_answer_show_with_the_answers_markdown_as_html()
    {
        var page = OpenWith(Lines("v2.1.329/turn-simple.jsonl"), "What is this project?");

        Assert.Equal("What is this project?", page.Find(".turn-prompt-text").TextContent);
        var answer = page.Find(".assistant-text");
        Assert.DoesNotContain("streaming", answer.ClassList);
        Assert.Equal(["src/App.tsx", "src/api.ts", "npm test"], answer.QuerySelectorAll("code").Select(c => c.TextContent));
        Assert.StartsWith("The project is a small React + TypeScript app.", answer.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(["turn-prompt", "assistant-text", "turn-result"], Blocks(page));
    }

    [Fact]
    public void Markup_in_the_answer_is_shown_as_text_and_script_links_are_made_inert()
    {
        const string text = "Look: <script>alert('owned')</script> <img src=x onerror=alert(3)> [click me](javascript:alert(1)) <javascript:alert(2)> [docs](https://example.com/docs)";

        var answer = OpenWith(WithAssistantText(Lines("simple.jsonl"), text)).Find(".assistant-text");

        Assert.Empty(answer.QuerySelectorAll("script"));
        Assert.Empty(answer.QuerySelectorAll("img"));
        Assert.Contains("<script>alert('owned')</script>", answer.TextContent, StringComparison.Ordinal);
        Assert.Contains("<img src=x onerror=alert(3)>", answer.TextContent, StringComparison.Ordinal);
        Assert.Contains("javascript:alert(2)", answer.TextContent, StringComparison.Ordinal);
        var links = answer.QuerySelectorAll("a").Select(a => $"{a.TextContent} -> {a.GetAttribute("href")}").ToList();
        Assert.Equal(["click me -> #", "docs -> https://example.com/docs"], links);
    }

    [Fact]
    public void A_picture_from_another_host_waits_behind_a_button_naming_the_host_and_nothing_sends_a_referrer()
    {
        const string text = "The nightly chart: ![nightly chart](https://img.example.net/chart.png?run=7) next to ![logo](/favicon.svg), see [docs](https://example.com/docs).";

        var answer = OpenWith(WithAssistantText(Lines("simple.jsonl"), text)).Find(".assistant-text");

        var button = answer.QuerySelector("button.konui-remote-image")!;
        Assert.Equal("https://img.example.net/chart.png?run=7", button.GetAttribute("data-src"));
        Assert.Equal("nightly chart", button.GetAttribute("data-alt"));
        Assert.Contains("Picture from img.example.net: nightly chart", button.TextContent, StringComparison.Ordinal);
        var image = Assert.Single(answer.QuerySelectorAll("img"));
        Assert.Equal("/favicon.svg", image.GetAttribute("src"));
        Assert.Equal("no-referrer", image.GetAttribute("referrerpolicy"));
        Assert.Equal("noreferrer", answer.QuerySelector("a")!.GetAttribute("rel"));
    }

    [Fact]
    public void A_picture_from_a_host_in_the_image_hosts_shows_at_once_without_a_referrer()
    {
        var answer = OpenWith(WithAssistantText(Lines("simple.jsonl"), "![nightly chart](https://img.allowed.example/chart.png) ![other](https://elsewhere.example/x.png)")).Find(".assistant-text");

        var image = Assert.Single(answer.QuerySelectorAll("img"));
        Assert.Equal("https://img.allowed.example/chart.png", image.GetAttribute("src"));
        Assert.Equal("nightly chart", image.GetAttribute("alt"));
        Assert.Equal("no-referrer", image.GetAttribute("referrerpolicy"));
        Assert.Equal("https://elsewhere.example/x.png", answer.QuerySelector("button.konui-remote-image")!.GetAttribute("data-src"));
    }

    [Fact]
    public void Attributes_written_in_the_answer_never_become_handlers_or_styles()
    {
        const string text = "**bold**{onmouseover=\"fetch('/api/konsole/turns')\" style=\"position:fixed;inset:0\"} and a [link](https://example.com){onclick=alert(1)}\n\n![video](https://www.youtube.com/watch?v=x)";

        var answer = OpenWith(WithAssistantText(Lines("simple.jsonl"), text)).Find(".assistant-text");

        var attributes = answer.QuerySelectorAll("*").SelectMany(e => e.Attributes.Select(a => a.Name)).Distinct().ToList();
        Assert.DoesNotContain(attributes, name => name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || name == "style");
        Assert.Empty(answer.QuerySelectorAll("iframe"));
        Assert.Equal("bold", answer.QuerySelector("strong")!.TextContent);
    }

    [Fact]
    public void Thinking_shows_collapsed_before_the_answer()
    {
        var page = OpenWith(Lines("partial-think.jsonl"));

        var thinking = page.Find("details.thinking");
        Assert.False(thinking.HasAttribute("open"));
        Assert.Equal("Thought", thinking.QuerySelector("summary")!.TextContent);
        Assert.Equal("Let me think about this greeting.", thinking.QuerySelector(".thinking-text")!.TextContent);
        Assert.Equal(["turn-prompt", "thinking", "assistant-text", "turn-result"], Blocks(page));
    }

    [Fact]
    public void Tool_calls_show_for_review_and_one_with_nothing_to_review_collapsed_with_its_input_and_result()
    {
        var page = OpenWith(Lines("v2.1.329/turn-tools.jsonl"));

        var calls = page.FindAll(".tool-call");
        Assert.Equal(["Bash command", "Read lookup", "mcp__konui__konui_create_task "], calls.Select(c => $"{c.GetAttribute("data-tool")} {c.GetAttribute("data-review")}"));
        Assert.All(calls, c => Assert.DoesNotContain("error", c.ClassList));
        Assert.Equal("$ ls -la src", calls[0].QuerySelector(".terminal-command")!.TextContent);
        Assert.Equal("List files in src directory", calls[0].QuerySelector(".terminal-description")!.TextContent);
        Assert.StartsWith("total 24\ndrwxr-xr-x 2 root root 4096 Nov 21 06:38 .", calls[0].QuerySelector(".terminal-output")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/home/dev/konui-app/package.json", calls[1].QuerySelector(".lookup-subject")!.TextContent);
        Assert.False(calls[1].HasAttribute("open"));
        var generic = calls[2];
        Assert.Equal("DETAILS", generic.TagName);
        Assert.False(generic.HasAttribute("open"));
        Assert.Equal("konui_create_task done", $"{generic.QuerySelector(".tool-name")!.TextContent} {generic.QuerySelector(".tool-status")!.TextContent}");
        Assert.Contains("\"title\"", generic.QuerySelector(".tool-input")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["turn-prompt", "thinking", "tool-call", "tool-call", "assistant-text", "tool-call", "assistant-text", "turn-result"], Blocks(page));
    }

    [Fact]
    public void A_failed_tool_call_is_marked_failed_with_what_it_said()
    {
        var call = OpenWith(Lines("mcp-noallow.jsonl")).Find("details.tool-call");

        Assert.Contains("error", call.ClassList);
        Assert.Equal("konui_create_task failed", $"{call.QuerySelector(".tool-name")!.TextContent} {call.QuerySelector(".tool-status")!.TextContent}");
        Assert.Equal("Claude requested permissions to use mcp__konui__konui_create_task, but you haven't granted it yet.", call.QuerySelector(".tool-result")!.TextContent);
    }

    [Fact]
    public void A_command_that_was_not_allowed_says_it_did_not_run_and_why()
    {
        var call = OpenWith(Lines("v2.1.329/turn-permission-denied.jsonl")).Find(".tool-call[data-tool='Bash']");

        Assert.Contains("error", call.ClassList);
        Assert.Null(call.GetAttribute("data-exit-code"));
        Assert.Equal("not run", call.QuerySelector(".terminal-status")!.TextContent);
        Assert.Equal("This Bash command contains multiple operations. The following parts require approval: mkdir -p dist, touch dist/.gitkeep",
            call.QuerySelector(".terminal-output")!.TextContent);
    }

    [Fact]
    public void Api_retries_show_as_notes_before_the_api_error_and_the_failed_turn()
    {
        var page = OpenWith(Lines("err500-retries2.jsonl"), end: new TurnEnd(false, "API Error: 500", new TurnTiming { TotalMs = 1730 }, 0));

        Assert.Equal(["API error 500: retrying (1 of 2) in 0.5 s", "API error 500: retrying (2 of 2) in 1.1 s"], page.FindAll(".retry-note").Select(n => n.TextContent));
        Assert.Contains("api-error", page.Find(".assistant-text").ClassList);
        var result = page.Find(".turn-result");
        Assert.Contains("failed", result.ClassList);
        Assert.Equal("✗ API Error: 500", result.Children[0].TextContent);
        Assert.Equal(["turn-prompt", "retry-note", "retry-note", "assistant-text", "turn-result"], Blocks(page));
    }

    [Fact]
    public void The_result_line_shows_the_outcome_duration_tokens_and_cost()
    {
        var page = OpenWith(Lines("v2.1.329/turn-simple.jsonl"), end: new TurnEnd(true, null, new TurnTiming { TotalMs = 2500 }, 0.045062));

        var result = page.Find(".turn-result");
        Assert.Contains("ok", result.ClassList);
        Assert.Equal(["✓ Done", "2.5 s", "4 in · 61 out", "$0.0451"], result.Children.Select(c => c.TextContent));
        Assert.Equal("ok", Turn(page).GetAttribute("data-state"));
    }

    [Fact]
    public void The_kontask_a_create_task_call_made_shows_inline_where_the_call_was_and_its_choice_sends_the_next_prompt()
    {
        Add("kt_e2e", "Write e2e tests", Now.AddMinutes(-4), k =>
        {
            k.RequestId = "req-t1";
            k.Status = "ready";
            k.Context = new KontaskContext
            {
                Choices =
                [
                    new KontaskChoice { Label = "Write them now", Value = "Write the e2e tests now", Primary = true },
                    new KontaskChoice { Label = "Later", Value = "later" },
                ],
            };
        });
        var page = OpenWith(WithToolResult(Lines("mcp.jsonl"), """{"success":true,"task":{"id":"kt_e2e","title":"Write e2e tests"}}"""), "Make a task for the e2e tests");

        Assert.Equal(["turn-prompt", "assistant-text", "tool-kontask", "assistant-text", "turn-result"], Blocks(page));
        var card = page.Find(".tool-kontask .kontask-card");
        Assert.Equal("kt_e2e", card.GetAttribute("data-kontask-id"));
        Assert.Equal("Write e2e tests", card.QuerySelector(".kontask-card-title")!.TextContent);
        Assert.Equal(["Write them now", "Later"], card.QuerySelectorAll(".kontask-card-choices button").Select(b => b.TextContent));
        Assert.Empty(page.FindAll("details.tool-call"));

        page.Find(".kontask-card-choices button").Click();

        page.WaitForAssertion(() => Assert.Equal(("Write the e2e tests now", SessionId), Konsole.Started.Select(t => (t.Prompt, t.SessionId)).Single()));
    }

    [Fact]
    public void A_choice_konsole_refuses_waits_in_the_prompt_box_with_the_reason()
    {
        Add("kt_e2e", "Write e2e tests", Now.AddMinutes(-4), k =>
        {
            k.RequestId = "req-t1";
            k.Context = new KontaskContext { Choices = [new KontaskChoice { Label = "Write them now", Value = "Write the e2e tests now" }] };
        });
        var page = OpenWith(WithToolResult(Lines("mcp.jsonl"), """{"success":true,"task":{"id":"kt_e2e"}}"""));
        Konsole.Busy = "A turn is already running in this session.";

        page.Find(".kontask-card-choices button").Click();

        page.WaitForAssertion(() => Assert.Equal("A turn is already running in this session.", page.Find(".console-error").TextContent));
        // The error shows while the choice is still on its way back; then it is put in the box.
        page.WaitForAssertion(() => Assert.Equal("Write the e2e tests now", page.Find("textarea.prompt-text").GetAttribute("value")));
        Assert.Empty(Konsole.Started);
    }

    [Fact]
    public void A_kontask_of_the_turn_that_lands_later_without_a_tool_call_shows_after_the_turns_answer()
    {
        var page = OpenWith(Lines("simple.jsonl"));
        Assert.Empty(page.FindAll(".kontask-card"));

        Add("kt_later", "Made by another process", Now, k => k.RequestId = "req-t1");

        page.WaitForAssertion(() => Assert.Equal(["turn-prompt", "assistant-text", "tool-kontask", "turn-result"], Blocks(page)), TimeSpan.FromSeconds(5));
        Assert.Equal("Made by another process", page.Find(".tool-kontask .kontask-card-title").TextContent);
    }

    [Fact]
    public void A_live_turn_streams_its_text_and_shows_that_claude_is_working_until_it_ends()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        var events = TurnEvents("live", Lines("v2.1.329/turn-partial.jsonl"), "Describe the project", Now, new TurnEnd(true, null, new TurnTiming { TotalMs = 3100 }, 0.045062));
        var firstBlock = events.FindIndex(e => e is AssistantBlock);
        var streamed = string.Concat(events.OfType<TextDelta>().Select(d => d.Text)).Replace("`", "", StringComparison.Ordinal);

        foreach (var turnEvent in events.Take(firstBlock)) Publish("live", turnEvent);

        page.WaitForAssertion(() => Assert.Equal(streamed, page.Find(".assistant-text.streaming").TextContent.Trim()));
        Assert.Equal(["src/App.tsx", "src/api.ts", "npm test"], page.FindAll(".assistant-text code").Select(c => c.TextContent));
        // While text streams, its caret shows that Claude is at work: no spinner keeps the page painting every frame.
        Assert.Equal("Claude is writing…", page.Find(".turn-running").TextContent.Trim());
        Assert.Empty(page.FindAll(".turn-running .spinner"));
        Assert.Equal("running", Turn(page).GetAttribute("data-state"));

        foreach (var turnEvent in events.Skip(firstBlock)) Publish("live", turnEvent);

        page.WaitForAssertion(() => Assert.Equal("✓ Done", page.Find(".turn-result").Children[0].TextContent));
        Assert.Empty(page.FindAll(".assistant-text.streaming"));
        Assert.Empty(page.FindAll(".turn-running"));
        Assert.Equal("Describe the project", page.Find(".turn-prompt-text").TextContent);
    }

    [Fact]
    public void A_running_turn_shows_a_spinner_while_claude_works_without_writing()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        var seq = 0;
        TurnEvent Next(TurnEvent turnEvent) => turnEvent with { Seq = ++seq, At = Now };
        using var input = System.Text.Json.JsonDocument.Parse("""{"command": "npm test"}""");

        Publish("live", Next(new TurnStart("live", SessionId, "req-live", "Run the tests", 0)));
        page.WaitForAssertion(() => Assert.Equal("Claude is working…", page.Find(".turn-running").TextContent.Trim()));
        Assert.NotNull(page.Find(".turn-running .spinner"));

        Publish("live", Next(new TextDelta("m1", 0, "Running them")));
        page.WaitForAssertion(() => Assert.Equal("Claude is writing…", page.Find(".turn-running").TextContent.Trim()));

        Publish("live", Next(new AssistantBlock("m1", 0, "text", "Running them", null, null, null, "claude-test", null, false)));
        Publish("live", Next(new AssistantBlock("m2", 0, "tool_use", null, "toolu_1", "Bash", input.RootElement.Clone(), "claude-test", null, false)));
        page.WaitForAssertion(() => Assert.Equal("Claude is working…", page.Find(".turn-running").TextContent.Trim()));
        Assert.NotNull(page.Find(".turn-running .spinner"));
    }

    [Fact]
    public async Task A_word_that_comes_a_frame_after_the_last_render_is_drawn_at_once_not_on_a_timer()
    {
        var (page, Next) = StartCounting();

        for (var word = 2; word <= 6; word++)
        {
            // A word every 20 ms, as the model streams: each comes more than a frame (16 ms) after the last render.
            await Task.Delay(20);
            var text = $" w{word}";
            Publish("live", Next(new TextDelta("m1", 0, text)));
            await AssertDrawnTheMomentTheConsoleHasAsync(page, text);
        }
    }

    [Fact]
    public async Task A_word_that_comes_right_after_a_late_one_is_drawn_at_once_and_a_flood_is_drawn_about_once_a_frame()
    {
        var (page, Next) = StartCounting();

        // Words come unevenly down the CLI's pipe: w2 late, w3 right after it. Both are drawn the moment the console has them.
        await Task.Delay(40);
        foreach (var text in new[] { " w2", " w3" })
        {
            Publish("live", Next(new TextDelta("m1", 0, text)));
            await AssertDrawnTheMomentTheConsoleHasAsync(page, text);
        }

        // A flood (5,000 deltas a second and more) is drawn in about one render a frame, with everything in it. The
        // turns are drawn exactly when the transcript is, so their renders are its renders (bUnit's RenderCount of the
        // transcript would count each of its renders twice: once for itself and once for the turns drawn inside it).
        var turns = page.FindComponent<TranscriptTurns>();
        var rendersBefore = turns.RenderCount;
        var flood = System.Diagnostics.Stopwatch.StartNew();
        for (var word = 4; word <= 400; word++) Publish("live", Next(new TextDelta("m1", 0, $" w{word}")));
        page.WaitForAssertion(() => Assert.EndsWith("w400", page.Find(".assistant-text.streaming").TextContent.Trim(), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var frames = flood.Elapsed / TimeSpan.FromMilliseconds(16);
        var renders = turns.RenderCount - rendersBefore;
        Assert.True(renders <= frames + 3, $"{renders} renders for 397 words in {flood.Elapsed.TotalMilliseconds:0} ms ({frames:0.0} frames)");
        Assert.Equal(string.Join(' ', Enumerable.Range(1, 400).Select(i => $"w{i}")), page.Find(".assistant-text.streaming").TextContent.Trim());
    }

    /// <summary>
    /// Opens the Dashboard on a live turn whose answer has begun with "w1", drawn; returns the page and what numbers the
    /// turn's next events.
    /// </summary>
    private (IRenderedComponent<DashboardPage> Page, Func<TurnEvent, TurnEvent> Next) StartCounting()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        var seq = 0;
        TurnEvent Next(TurnEvent turnEvent) => turnEvent with { Seq = ++seq, At = Now };
        Publish("live", Next(new TurnStart("live", SessionId, "req-live", "Count", 0)));
        Publish("live", Next(new TextDelta("m1", 0, "w1")));
        page.WaitForAssertion(() => Assert.Equal("w1", page.Find(".assistant-text.streaming").TextContent.Trim()));
        return (page, Next);
    }

    /// <summary>
    /// Reads on the circuit's renderer until the console has <paramref name="text"/>, and asserts that the page showed
    /// it at that same moment: it did not wait for a timer.
    /// </summary>
    private async Task AssertDrawnTheMomentTheConsoleHasAsync(IRenderedComponent<DashboardPage> page, string text)
    {
        var console = Services.GetRequiredService<ConsoleSession>();
        bool applied, drawn;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            (applied, drawn) = await page.InvokeAsync(() =>
                (console.Transcript.Turns[^1].Items.OfType<AssistantText>().Any(t => t.Text.EndsWith(text, StringComparison.Ordinal)),
                 page.Find(".assistant-text.streaming").TextContent.Trim().EndsWith(text.Trim(), StringComparison.Ordinal)));
        }
        while (!applied && waited.Elapsed < TimeSpan.FromSeconds(5));
        Assert.True(applied, $"the console never had {text.Trim()}");
        Assert.True(drawn, $"{text.Trim()} waited for a timer after the console had it");
    }

    [Fact]
    public void Words_streaming_after_tool_calls_draw_only_the_call_that_changed()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        var seq = 0;
        TurnEvent Next(TurnEvent turnEvent) => turnEvent with { Seq = ++seq, At = Now };
        using var input = System.Text.Json.JsonDocument.Parse("""{"query": "konui"}""");
        Publish("live", Next(new TurnStart("live", SessionId, "req-live", "Look it up twice", 0)));
        Publish("live", Next(new AssistantBlock("m1", 0, "tool_use", null, "toolu_1", "mcp__docs__search", input.RootElement.Clone(), "claude-test", null, false)));
        Publish("live", Next(new ToolResult("toolu_1", string.Join('\n', Enumerable.Range(1, 500).Select(i => $"result line {i}")), false)));
        Publish("live", Next(new AssistantBlock("m2", 0, "tool_use", null, "toolu_2", "mcp__docs__search", input.RootElement.Clone(), "claude-test", null, false)));
        page.WaitForAssertion(() => Assert.Equal(["done", "running…"], page.FindAll(".tool-call .tool-status").Select(s => s.TextContent)));
        var calls = page.FindComponents<ToolCallView>();
        var drawn = calls.Select(c => c.RenderCount).ToList();

        foreach (var word in new[] { "Still", " looking", " it", " up" })
        {
            Publish("live", Next(new TextDelta("m3", 0, word)));
            page.WaitForAssertion(() => Assert.EndsWith(word.Trim(), page.Find(".assistant-text.streaming").TextContent.Trim(), StringComparison.Ordinal));
        }

        Assert.Equal(drawn, calls.Select(c => c.RenderCount));
        Publish("live", Next(new ToolResult("toolu_2", "one result", false)));
        page.WaitForAssertion(() => Assert.Equal(["done", "done"], page.FindAll(".tool-call .tool-status").Select(s => s.TextContent)));
        Assert.Equal("one result", page.FindAll(".tool-call .tool-result")[1].TextContent);
        Assert.Equal(drawn[0], calls[0].RenderCount);
        Assert.True(calls[1].RenderCount > drawn[1]);
    }
}
