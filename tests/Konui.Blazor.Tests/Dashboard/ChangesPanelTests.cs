using System.Text.Json;
using Bunit;
using Konui.Core.Konsole;
using Konui.Core.Transcripts;
using Konui.Core.Turns;
using DashboardPage = Konui.Blazor.Components.Pages.Dashboard.Dashboard;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>The changes panel beside the conversation: what the session changed in its git repository, with diffs, read again when files may have changed.</summary>
public sealed class ChangesPanelTests : DashboardTest
{
    private const string Repository = "/srv/projects/api";

    private static ChangedFile Modified(string path) => new(path, FileChangeKind.Modified, FileDiff.FromUnified(path, """
        @@ -1,3 +1,3 @@
         one
        -two
        +TWO
         three
        """));

    private static ChangedFile Untracked(string path, string line) => new(path, FileChangeKind.Untracked, FileDiff.FromUnified(path, $"@@ -0,0 +1,1 @@\n+{line}\n", isNewFile: true));

    private void Serve(params ChangedFile[] files) => Konsole.Changes[SessionId] = new SessionChanges(SessionId, Repository, Repository, files);

    private IRenderedComponent<DashboardPage> Open()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        return page;
    }

    private static List<(string Path, string Change, string Mark)> Files(IRenderedComponent<DashboardPage> page) =>
        page.FindAll(".changes-panel .changed-file")
            .Select(f => (f.GetAttribute("data-path")!, f.GetAttribute("data-change")!, f.QuerySelector(".changed-file-kind")!.TextContent))
            .ToList();

    [Fact]
    public void A_session_in_a_git_repository_lists_its_changed_files_beside_the_conversation_each_with_its_diff()
    {
        Serve(Modified("src/a.txt"), Untracked("notes.md", "# Notes"), new ChangedFile("logo.png", FileChangeKind.Deleted, null, "A binary file."));

        var page = Open();

        page.WaitForAssertion(() => Assert.Equal([("src/a.txt", "modified", "M"), ("notes.md", "untracked", "U"), ("logo.png", "deleted", "D")], Files(page)));
        Assert.Equal("3 files", page.Find(".changes-count").TextContent);
        Assert.Equal("api", page.Find(".changes-repository").TextContent);
        var first = page.Find(".changed-file[data-path='src/a.txt']");
        Assert.Equal("+1 −1", first.QuerySelector(".changed-file-counts")!.TextContent);
        Assert.Equal(["two", "TWO"], first.QuerySelectorAll(".diff-line.removed .diff-text, .diff-line.added .diff-text").Select(t => t.TextContent));
        Assert.Equal("A binary file.", page.Find(".changed-file[data-path='logo.png'] .changed-file-note").TextContent);
        Assert.Contains("with-changes", page.Find(".dashboard-body").ClassList);
        Assert.Equal(["Conversation", "Changes (3)"], page.FindAll(".phone-tab").Select(t => t.TextContent.Trim()));
        Assert.Equal("dashboard-main", page.Find(".changes-panel").PreviousElementSibling!.ClassList[0]);
    }

    [Fact]
    public void A_session_outside_a_git_repository_has_no_changes_panel()
    {
        Konsole.Changes[SessionId] = new SessionChanges(SessionId, "/home/dev/notes", null, [], Note: "/home/dev/notes is in no git repository.");

        var page = Open();

        page.WaitForAssertion(() => Assert.Equal(1, Konsole.ChangesAsked));
        Assert.Empty(page.FindAll(".changes-panel"));
        Assert.Empty(page.FindAll(".phone-tab"));
        Assert.DoesNotContain("with-changes", page.Find(".dashboard-body").ClassList);
    }

    [Fact]
    public void Many_files_show_folded_and_a_click_shows_one_files_diff()
    {
        Serve([.. Enumerable.Range(1, 6).Select(i => Modified($"src/file{i}.cs"))]);
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(6, Files(page).Count));
        Assert.Empty(page.FindAll(".changes-panel .diff-view"));

        page.Find(".changed-file[data-path='src/file3.cs'] .changed-file-head").Click();

        Assert.Equal("src/file3.cs", page.Find(".changes-panel .diff-view").GetAttribute("data-diff-path"));
        Assert.Equal("true", page.Find(".changed-file[data-path='src/file3.cs'] .changed-file-head").GetAttribute("aria-expanded"));
    }

    [Fact]
    public void The_changes_are_read_again_when_a_file_tool_returns_and_when_the_turn_ends_not_while_text_streams()
    {
        Serve();
        var page = Open();
        page.WaitForAssertion(() => page.Find(".changes-none"));
        using var input = JsonDocument.Parse("""{"file_path": "/srv/projects/api/b.txt", "content": "b\n"}""");
        var seq = 0;
        TurnEvent Next(TurnEvent turnEvent) => turnEvent with { Seq = ++seq, At = Now.AddSeconds(seq) };
        Publish("t1", Next(new TurnStart("t1", SessionId, "req-t1", "Write b", 0)));
        Publish("t1", Next(new AssistantBlock("m1", 0, "tool_use", null, "toolu_1", "Write", input.RootElement.Clone(), "claude-test", null, false)));
        Publish("t1", Next(new TextDelta("m0", 0, "Writing")));
        page.WaitForAssertion(() => page.Find(".tool-call[data-tool='Write']"));
        var asked = Konsole.ChangesAsked;

        Serve(Untracked("b.txt", "b"));
        Publish("t1", Next(new ToolResult("toolu_1", "File created successfully at: /srv/projects/api/b.txt", false)));

        page.WaitForAssertion(() => Assert.Equal([("b.txt", "untracked", "U")], Files(page)));
        Assert.Equal(asked + 1, Konsole.ChangesAsked);
        Publish("t1", Next(new TextDelta("m2", 0, "Done.")));
        page.WaitForAssertion(() => Assert.Contains("Done.", page.Find("article.turn").TextContent, StringComparison.Ordinal));
        Assert.Equal(asked + 1, Konsole.ChangesAsked);

        Serve(Untracked("b.txt", "b"), Modified("src/a.txt"));
        Publish("t1", Next(new TurnEnd(true, null, null)));

        page.WaitForAssertion(() => Assert.Equal(2, Files(page).Count));
        Assert.Equal(asked + 2, Konsole.ChangesAsked);
    }
}
