using Bunit;
using Konui.Blazor.Components.Pages.Dashboard;
using Konui.Core.Konsole;
using DashboardPage = Konui.Blazor.Components.Pages.Dashboard.Dashboard;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>
/// The composer's pickers, as the prompt box's script asks for them (it reports what is typed at the caret; the keys
/// and the insertion are the browser tests'): the session's slash commands from its init, and paths in its folder.
/// </summary>
public sealed class ComposerTests : DashboardTest
{
    private IRenderedComponent<DashboardPage> OpenWithInit()
    {
        AddEndedTurn("t1", Lines("v2.1.197-review/tasks.jsonl"), "Plan it", Now.AddMinutes(-5));
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find("article.turn .turn-result"));
        return page;
    }

    private static Task Typed(IRenderedComponent<DashboardPage> page, string? kind, string? query) =>
        page.InvokeAsync(() => page.FindComponent<PromptBox>().Instance.Complete(kind, query));

    private static List<(string Label, string Insert)> Options(IRenderedComponent<DashboardPage> page) =>
        page.FindAll(".composer-picker [role=option]").Select(o => (o.QuerySelector(".composer-option-label")!.TextContent, o.GetAttribute("data-insert")!)).ToList();

    [Fact]
    public async Task A_slash_lists_the_commands_of_the_sessions_init_those_starting_with_what_is_typed_first()
    {
        var page = OpenWithInit();

        await Typed(page, "slash", "");
        Assert.Equal(25, Options(page).Count);
        Assert.Equal(("/deep-research", "/deep-research "), Options(page)[0]);

        await Typed(page, "slash", "re");

        Assert.Equal(["/reload-skills", "/review", "/deep-research", "/code-review", "/security-review"], Options(page).Select(o => o.Label));
        Assert.Equal("/review ", Options(page)[1].Insert);
        Assert.Equal("slash", page.Find(".composer-picker").GetAttribute("data-kind"));

        await Typed(page, "slash", "nosuch");

        Assert.Empty(Options(page));
        Assert.Equal("No slash command has “nosuch” in it.", page.Find(".composer-note").TextContent);

        await Typed(page, null, null);

        Assert.Empty(page.FindAll(".composer-picker"));
    }

    [Fact]
    public async Task A_new_session_says_its_commands_and_paths_come_once_it_has_started()
    {
        var page = OpenDashboard("?new=true");
        page.WaitForAssertion(() => page.Find(".transcript-empty"));

        await Typed(page, "slash", "");
        Assert.Equal("This session's slash commands are known once its first turn has started.", page.Find(".composer-note").TextContent);

        await Typed(page, "file", "src");
        Assert.Equal("Paths complete once the session has started (its first prompt sent).", page.Find(".composer-note").TextContent);
        Assert.Empty(Konsole.FilePrefixes);
    }

    [Fact]
    public async Task An_at_completes_paths_in_the_sessions_folder_folders_marked()
    {
        Konsole.Files[SessionId] = [new FileCompletion("src/app.ts", false), new FileCompletion("src/lib/", true), new FileCompletion("README.md", false)];
        var page = OpenWithInit();

        await Typed(page, "file", "src");

        Assert.Equal([("src/app.ts", "@src/app.ts "), ("src/lib/", "@src/lib/")], Options(page));
        Assert.Equal("folder", page.Find(".composer-option[data-insert='@src/lib/'] .composer-option-detail").TextContent);
        Assert.Equal(["src"], Konsole.FilePrefixes);

        await Typed(page, "file", "zz");

        Assert.Equal("Nothing in /home/dev/project starts with “zz”.", page.Find(".composer-note").TextContent);
    }
}
