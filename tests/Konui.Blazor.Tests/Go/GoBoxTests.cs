using Bunit;
using Konui.Blazor.Components.Go;
using Konui.Core.Konsole;

namespace Konui.Blazor.Tests.Go;

public sealed class GoBoxTests : KonuiComponentTest
{
    private const string Release = "0a6f7c52-1111-4c1e-9a53-3c1b2f0e4a01";
    private const string Terminal = "c9d84e13-3333-4c1e-9a53-3c1b2f0e4a03";

    public GoBoxTests()
    {
        Konsole.Sessions.Add(new SessionSummary(Release, "Plan the release", 2, Now.AddHours(-5), Now.AddHours(-1), null, 0.1, 100, 10));
        Konsole.AddTurn(new TurnScript("turn_1", Release, "req_1", "Plan the release", Now.AddHours(-5)).End(true, 1000, 0.05));
        Konsole.AddTurn(new TurnScript("turn_2", Release, "req_2", "Write the changelog", Now.AddHours(-1)).End(true, 1000, 0.05));
        Konsole.CliSessions.Add(new CliSessionDetail(
            new CliSessionSummary(Terminal, "Why is the release build slow?", 1, Now.AddHours(-3), Now.AddHours(-2), "projects/konui"),
            [new CliPrompt("Why is the release build slow?", Now.AddHours(-3))]));
        Add("kt_0197aa01", "Release plan", Now.AddHours(-5));
        Add("kt_0197bb02", "Fix the login bug", Now.AddHours(-4));
    }

    private IRenderedComponent<GoBoxInLayout> Opened()
    {
        var box = Render<GoBoxInLayout>();
        box.Find(".go-open").Click();
        WaitUntilOpen(box);
        return box;
    }

    /// <summary>MudBlazor's dialog provider draws the box a moment after it is asked to.</summary>
    private static void WaitUntilOpen(IRenderedComponent<GoBoxInLayout> box) =>
        box.WaitForAssertion(() => Assert.NotEmpty(box.FindAll(".go-box .go-field input")), TimeSpan.FromSeconds(5));

    private static void WaitUntilClosed(IRenderedComponent<GoBoxInLayout> box) =>
        box.WaitForAssertion(() => Assert.Empty(box.FindAll(".go-box")), TimeSpan.FromSeconds(5));

    private static List<(string Kind, string Title)> Results(IRenderedComponent<GoBoxInLayout> box) =>
        box.FindAll(".go-result").Select(r => (r.QuerySelector(".go-kind")!.TextContent, r.QuerySelector(".go-title")!.TextContent)).ToList();

    private static void Type(IRenderedComponent<GoBoxInLayout> box, string text)
    {
        box.Find(".go-field input").Input(text);
        box.WaitForAssertion(() => Assert.Equal(text, box.Find(".go-field input").GetAttribute("value")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Go_in_the_navigation_opens_the_box_with_every_page()
    {
        var box = Render<GoBoxInLayout>();
        Assert.Empty(box.FindAll(".go-box"));

        box.Find(".go-open").Click();

        WaitUntilOpen(box);
        Assert.Equal("dialog", box.Find(".go-box").GetAttribute("role"));
        Assert.Equal(["Dashboard", "Kontasks", "Sessions", "Logs", "Telemetry", "Reports", "Settings"], Results(box).Select(r => r.Title));
        Assert.Equal(["/", "/kontasks", "/sessions", "/logs", "/telemetry", "/reports", "/settings"], box.FindAll(".go-result").Select(r => r.GetAttribute("data-href")));
        Assert.Contains("selected", box.FindAll(".go-result")[0].ClassList);
    }

    [Fact]
    public void Typing_finds_pages_by_name_sessions_by_any_prompt_and_kontasks_by_title()
    {
        var box = Opened();

        Type(box, "release");

        Assert.Equal(
        [
            ("Session", "Plan the release"),
            ("Claude Code session", "Why is the release build slow?"),
            ("Kontask", "Release plan"),
        ], Results(box));

        Type(box, "changelog");
        Assert.Equal([("Session", "Plan the release")], Results(box));
        Assert.Equal($"/sessions/{Release}", box.Find(".go-result").GetAttribute("data-href"));

        Type(box, "LOGS");
        Assert.Equal([("Page", "Logs")], Results(box));

        Type(box, "login");
        Assert.Equal([("Kontask", "Fix the login bug")], Results(box));
    }

    [Fact]
    public void Ids_are_found_by_their_first_characters()
    {
        var box = Opened();

        Type(box, "kt_0197b");
        Assert.Equal([("Kontask", "Fix the login bug")], Results(box));
        Assert.Equal("/kontasks/kt_0197bb02", box.Find(".go-result").GetAttribute("data-href"));

        Type(box, Terminal[..6]);
        Assert.Equal([("Claude Code session", "Why is the release build slow?")], Results(box));
        Assert.Equal($"/sessions/{Terminal}", box.Find(".go-result").GetAttribute("data-href"));
    }

    [Fact]
    public void Arrows_choose_a_match_and_enter_goes_there()
    {
        var box = Opened();
        Type(box, "release");
        var input = box.Find(".go-field input");

        input.KeyDown("ArrowDown");
        input.KeyDown("ArrowDown");
        Assert.Contains("selected", box.FindAll(".go-result")[2].ClassList);
        Assert.Equal("go-result-2", box.Find(".go-field input").GetAttribute("aria-activedescendant"));
        box.Find(".go-field input").KeyDown("ArrowDown");
        box.Find(".go-field input").KeyDown("ArrowUp");
        box.Find(".go-field input").KeyDown("Enter");

        Assert.EndsWith("/kontasks/kt_0197aa01", Navigation.Uri, StringComparison.Ordinal);
        WaitUntilClosed(box);
    }

    [Fact]
    public void Up_from_the_first_match_wraps_to_the_last_and_clicking_a_match_goes_there()
    {
        var box = Opened();

        box.Find(".go-field input").KeyDown("ArrowUp");
        Assert.Contains("selected", box.FindAll(".go-result")[^1].ClassList);
        box.Find(".go-field input").KeyDown("Enter");
        Assert.EndsWith("/settings", Navigation.Uri, StringComparison.Ordinal);

        WaitUntilClosed(box);
        box.Find(".go-open").Click();
        WaitUntilOpen(box);
        box.FindAll(".go-result")[2].Click();
        Assert.EndsWith("/sessions", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_or_a_click_beside_the_box_closes_it_without_going_anywhere()
    {
        var box = Opened();
        var before = Navigation.Uri;

        box.Find(".go-field input").KeyDown("Escape");
        WaitUntilClosed(box);

        box.Find(".go-open").Click();
        WaitUntilOpen(box);
        box.Find(".mud-overlay").Click();
        WaitUntilClosed(box);
        Assert.Equal(before, Navigation.Uri);
    }

    [Fact]
    public void Nothing_matching_says_so_and_enter_does_nothing()
    {
        var box = Opened();
        var before = Navigation.Uri;

        Type(box, "pineapple");

        Assert.Empty(box.FindAll(".go-result"));
        Assert.Equal("Nothing matches “pineapple”.", box.Find(".go-none").TextContent);
        box.Find(".go-field input").KeyDown("Enter");
        Assert.Equal(before, Navigation.Uri);
    }

    [Fact]
    public void Ctrl_k_anywhere_opens_the_box()
    {
        var box = Render<GoBoxInLayout>();
        var attach = JSInterop.VerifyInvoke("konui.go.attach");
        var shortcut = Assert.IsType<Microsoft.JSInterop.DotNetObjectReference<GoBox>>(attach.Arguments[0]);

        box.InvokeAsync(shortcut.Value.Open);

        box.WaitForAssertion(() => Assert.Equal(7, box.FindAll(".go-result").Count), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void When_konsole_does_not_answer_pages_and_kontasks_are_still_found()
    {
        Konsole.Unreachable = "Connection refused";
        var box = Opened();

        Type(box, "re");

        Assert.Equal([("Page", "Reports"), ("Kontask", "Release plan")], Results(box));
        Assert.Contains("konsole does not answer", box.Find(".go-problem").TextContent, StringComparison.Ordinal);
    }
}
