using Bunit;
using Konui.Blazor.Components.Pages.Sessions;
using Konui.Core.Konsole;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>Sessions in project folders: "+ New session" asks which folder, the first prompt runs there, and the folder shows wherever the session does.</summary>
public sealed class ProjectTests : DashboardTest
{
    private static readonly ProjectList Projects = new(["/srv/projects"],
    [
        new ProjectFolder("/srv/projects/api", "api", true, Now.AddHours(-1)),
        new ProjectFolder("/srv/projects", "projects", false),
        new ProjectFolder("/srv/projects/notes", "notes", false),
        new ProjectFolder("/srv/projects/web", "web", true),
    ]);

    private IRenderedComponent<DashboardInLayout> OpenNew()
    {
        Navigation.NavigateTo("?new=true");
        var page = Render<DashboardInLayout>();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        return page;
    }

    private static List<(string Path, string Git)> Folders(IRenderedComponent<DashboardInLayout> page) =>
        page.FindAll(".project-folder").Select(f => (f.GetAttribute("data-path")!, f.GetAttribute("data-git")!)).ToList();

    [Fact]
    public void New_session_offers_recent_folders_then_those_under_the_roots_with_git_repositories_marked_and_the_first_prompt_runs_in_the_one_chosen()
    {
        Konsole.Projects = Projects;
        var page = OpenNew();

        page.Find("button.session-new").Click();

        page.WaitForAssertion(() => Assert.Equal(4, Folders(page).Count));
        Assert.Equal([("/srv/projects/api", "true"), ("/srv/projects", "false"), ("/srv/projects/notes", "false"), ("/srv/projects/web", "true")], Folders(page));
        Assert.Equal(["Recent", "In the project folders"], page.FindAll(".project-group").Select(g => g.TextContent));
        Assert.Equal(["git", "git"], page.FindAll(".project-folder .project-git").Select(g => g.TextContent));

        page.Find(".project-filter input").Input("we");

        page.WaitForAssertion(() => Assert.Equal([("/srv/projects/web", "true")], Folders(page)));
        Assert.Contains("we", Konsole.ProjectFilters);
        page.Find(".project-folder").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".project-folder")));
        Assert.Equal("http://localhost/?new=true&folder=%2Fsrv%2Fprojects%2Fweb", Navigation.Uri);
        page.WaitForAssertion(() => Assert.Equal("/srv/projects/web", page.Find(".dashboard-head .console-folder").GetAttribute("data-folder")));
        Assert.Equal("web", page.Find(".console-folder-name").TextContent);

        page.Find("textarea.prompt-text").Input("Fix the header");
        page.Find("button.prompt-send").Click();

        page.WaitForAssertion(() => Assert.Equal(("Fix the header", "/srv/projects/web"), Konsole.Started.Select(t => (t.Prompt, t.WorkingDirectory)).Single()));
    }

    [Fact]
    public void The_arrow_keys_choose_a_folder_and_enter_starts_there()
    {
        Konsole.Projects = Projects;
        var page = OpenNew();
        page.Find("button.session-new").Click();
        page.WaitForAssertion(() => Assert.Equal(4, Folders(page).Count));

        var filter = page.Find(".project-filter input");
        filter.KeyDown("ArrowDown");
        filter.KeyDown("ArrowDown");
        filter.KeyDown("ArrowUp");

        Assert.Equal("/srv/projects", page.Find(".project-folder.selected").GetAttribute("data-path"));
        page.Find(".project-filter input").KeyDown("Enter");
        page.WaitForAssertion(() => Assert.Equal("http://localhost/?new=true&folder=%2Fsrv%2Fprojects", Navigation.Uri));
    }

    [Fact]
    public void Konsoles_own_folder_starts_a_session_without_one()
    {
        Konsole.Projects = Projects;
        var page = OpenNew();
        page.Find("button.session-new").Click();
        page.WaitForAssertion(() => page.Find(".project-default"));

        page.Find(".project-default").Click();
        page.Find("textarea.prompt-text").Input("Hello");
        page.Find("button.prompt-send").Click();

        page.WaitForAssertion(() => Assert.Equal(("Hello", (string?)null), Konsole.Started.Select(t => (t.Prompt, t.WorkingDirectory)).Single()));
        Assert.Empty(page.FindAll(".project-folder"));
    }

    [Fact]
    public void Without_project_folders_new_session_starts_at_once_as_before()
    {
        var page = OpenNew();
        Navigation.NavigateTo("?session=" + SessionId);

        page.Find("button.session-new").Click();

        page.WaitForAssertion(() => Assert.Equal("http://localhost/?new=true", Navigation.Uri));
        Assert.Empty(page.FindAll(".project-picker"));
        Assert.Empty(page.FindAll(".console-folder"));
    }

    [Fact]
    public void The_console_header_and_the_session_picker_say_the_folder_a_session_runs_in()
    {
        Konsole.UpdateSession(SessionId, s => s with { WorkingDirectory = "/srv/projects/api" });
        Konsole.Sessions.Add(new SessionSummary(SessionId, "Add the endpoint", 2, Now.AddHours(-1), Now, null, 0.02, 100, 50, WorkingDirectory: "/srv/projects/api"));
        Navigation.NavigateTo("?session=" + SessionId);

        var page = Render<DashboardInLayout>();

        page.WaitForAssertion(() => Assert.Equal("/srv/projects/api", page.Find(".dashboard-head .console-folder").GetAttribute("data-folder")));
        Assert.Equal("/srv/projects/api", page.Find(".console-folder-path").TextContent);
        page.WaitForAssertion(() => Assert.Equal("Add the endpoint · in api · 2 turns", page.Find(".session-picker option[selected]").TextContent));
    }

    [Fact]
    public void The_sessions_list_says_each_sessions_folder_and_filters_by_one()
    {
        Konsole.Sessions.Add(new SessionSummary("11111111-1111-1111-1111-111111111111", "Add the endpoint", 2, Now.AddHours(-3), Now.AddHours(-2), null, 0.02, 100, 50, WorkingDirectory: "/srv/projects/api"));
        Konsole.Sessions.Add(new SessionSummary("22222222-2222-2222-2222-222222222222", "Restyle the header", 1, Now.AddHours(-2), Now.AddHours(-1), null, 0.01, 100, 50, WorkingDirectory: "/srv/projects/web"));
        Navigation.NavigateTo("sessions");
        var list = Render<SessionList>();
        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll(".session-row").Count));
        Assert.Equal(["in /srv/projects/web", "in /srv/projects/api"], list.FindAll(".session-row-folder").Select(f => f.TextContent));
        Assert.Equal(["All folders", "/srv/projects/api", "/srv/projects/web"], list.Find("select[aria-label=Folder]").QuerySelectorAll("option").Select(o => o.TextContent));

        list.Find("select[aria-label=Folder]").Change("/srv/projects/api");

        Assert.EndsWith("/sessions?folder=%2Fsrv%2Fprojects%2Fapi", Navigation.Uri, StringComparison.Ordinal);
        list.WaitForAssertion(() => Assert.Equal(["Add the endpoint"], list.FindAll(".session-row-prompt").Select(r => r.TextContent)));
        Assert.Equal("1 matching", list.Find(".sessions-count").TextContent);
    }
}
