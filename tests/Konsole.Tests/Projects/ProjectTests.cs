using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Konui.Core.Konsole;
using Konui.Core.Transcripts;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Projects;

/// <summary>
/// Konui with the real CLI and one project root holding: alpha (a git repository, with src inside), beta/one/two, gamma
/// (a git repository with two files committed),
/// a link to alpha, a link to /etc, a hidden folder and a file; beside the root, a folder outside it.
/// </summary>
public sealed class ProjectsFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "konui-projects-" + Guid.NewGuid().ToString("N"), "root");

    public string Outside => Path.Combine(Path.GetDirectoryName(Root)!, "outside");

    public KonuiWithClaude Rig { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Root, "alpha", "src"));
        Directory.CreateDirectory(Path.Combine(Root, "beta", "one", "two"));
        Directory.CreateDirectory(Path.Combine(Root, ".hidden"));
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Root, "readme.txt"), "not a folder");
        File.CreateSymbolicLink(Path.Combine(Root, "alias"), Path.Combine(Root, "alpha"));
        File.CreateSymbolicLink(Path.Combine(Root, "link-out"), "/etc");
        using (var git = Process.Start(new ProcessStartInfo("git", ["init", "-q", Path.Combine(Root, "alpha")]))!) await git.WaitForExitAsync();
        var gamma = Path.Combine(Root, "gamma");
        Directory.CreateDirectory(gamma);
        File.WriteAllText(Path.Combine(gamma, "kept.txt"), "first\nsecond\n");
        File.WriteAllText(Path.Combine(gamma, "gone.txt"), "soon gone\n");
        foreach (var command in new[] { "init -q", "add .", "-c user.name=Test -c user.email=test@example.com commit -q -m start" })
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", gamma, .. command.Split(' ')]))!;
            await git.WaitForExitAsync();
        }
        Rig = await KonuiWithClaude.StartAsync(settings: new Dictionary<string, string>
        {
            ["Konsole__Projects__0"] = Root,
            ["Konsole__AllowedTools__0"] = "Bash",
        });
    }

    public async Task DisposeAsync()
    {
        if (Rig is not null) await Rig.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
    }
}

/// <summary>Sessions in project folders: the CLI runs where the user chose, and nowhere outside the configured roots.</summary>
public sealed class ProjectTests(ProjectsFixture fixture) : IClassFixture<ProjectsFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    private string Folder(params string[] parts) => Path.Combine([fixture.Root, .. parts]);

    [Fact]
    public async Task A_new_session_in_a_project_folder_runs_there_and_every_list_says_so()
    {
        var alpha = Folder("alpha");
        Rig.Model.SetScript(request => request.HasToolResult ? ModelReply.Text("Noted.") : ModelReply.Bash("pwd > where.txt", "Say where").WithInitialDelay(TimeSpan.FromSeconds(1)));

        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Where are you?", WorkingDirectory: alpha));
        var status = await Rig.Konsole.GetStatusAsync();
        var events = await Rig.ReadAllAsync(turn.TurnId);

        Assert.Equal(alpha, status.ActiveTurns.Single(t => t.TurnId == turn.TurnId).WorkingDirectory);
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        Assert.Equal(alpha, events.OfType<TurnInit>().Single().Cwd);
        Assert.Equal(alpha, File.ReadAllText(Path.Combine(alpha, "where.txt")).Trim());
        Assert.Equal(alpha, (await Rig.Konsole.GetSessionsAsync()).Single(s => s.SessionId == turn.SessionId).WorkingDirectory);
        Assert.Equal(alpha, (await Rig.Konsole.GetSessionAsync(turn.SessionId)).WorkingDirectory);

        Rig.Model.SetScript(request => request.HasToolResult ? ModelReply.Text("Still here.") : ModelReply.Bash("pwd > again.txt", "Say where again"));
        var (next, nextEvents) = await Rig.RunAsync("And now?", turn.SessionId);
        Assert.True(Assert.IsType<TurnEnd>(nextEvents[^1]).Success);
        Assert.Equal(alpha, File.ReadAllText(Path.Combine(alpha, "again.txt")).Trim());

        var moved = await Assert.ThrowsAsync<KonsoleException>(() =>
            Rig.Konsole.StartTurnAsync(new TurnRequest("Move over", next.SessionId, WorkingDirectory: Folder("beta"))));
        Assert.Equal(HttpStatusCode.BadRequest, moved.Status);
        Assert.Contains($"runs in {alpha}: a session keeps the folder it started in", moved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_outside_every_root_a_climb_out_through_dots_or_a_link_and_a_missing_one_are_refused_saying_why()
    {
        var before = (await Rig.Konsole.GetSessionsAsync()).Count;
        var refusals = new (string Folder, string Says)[]
        {
            ("/etc", "/etc is outside the project folders"),
            (Folder("alpha", "..", "..", "outside"), "through '..'"),
            (Folder("link-out"), "through a symbolic link (it is /etc)"),
            (Folder("nothing-here"), $"There is no folder {Folder("nothing-here")}: it does not exist."),
            (Folder("readme.txt"), "is a file, not a folder"),
            ("alpha", "workingDirectory must be an absolute path"),
        };

        foreach (var (folder, says) in refusals)
        {
            var refused = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.StartTurnAsync(new TurnRequest("Work there", WorkingDirectory: folder)));
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, (await Rig.Konsole.GetSessionsAsync()).Count);
        Assert.True(Directory.Exists(fixture.Outside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Outside));
    }

    [Fact]
    public async Task Konsole_offers_recent_folders_first_then_those_under_the_roots_with_git_repositories_marked()
    {
        Rig.Model.SetScript(ScriptedModelApi.Echo);
        await Rig.RunAsync("Hello from konsole's own folder, outside the roots");
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Hello from one", WorkingDirectory: Folder("beta", "one")));
        await Rig.ReadAllAsync(turn.TurnId);

        var all = await Rig.Konsole.GetProjectsAsync();

        Assert.Equal([fixture.Root], all.Roots);
        Assert.DoesNotContain(all.Folders, f => f.Path == Path.Combine(Rig.Home, "work"));
        Assert.Equal((Folder("beta", "one"), true), (all.Folders[0].Path, all.Folders[0].IsRecent));
        string[] underRoot = [fixture.Root, Folder("alpha"), Folder("beta"), Folder("beta", "one"), Folder("gamma")];
        Assert.True(all.Folders.SkipWhile(f => f.IsRecent).All(f => !f.IsRecent), "recent folders come first");
        Assert.Equal(all.Folders.Count, all.Folders.Select(f => f.Path).Distinct().Count());
        Assert.Subset(all.Folders.Select(f => f.Path).ToHashSet(), underRoot.ToHashSet());
        var walked = all.Folders.Where(f => !f.IsRecent).Select(f => f.Path).ToList();
        Assert.Subset(underRoot.ToHashSet(), walked.ToHashSet());
        Assert.Equal(walked.Order(StringComparer.Ordinal), walked);
        Assert.True(all.Folders.Single(f => f.Path == Folder("alpha")).IsGitRepository);
        Assert.True(all.Folders.Single(f => f.Path == Folder("gamma")).IsGitRepository);
        Assert.False(all.Folders.Single(f => f.Path == Folder("beta")).IsGitRepository);
        Assert.DoesNotContain(all.Folders, f => f.Path.Contains("link-out", StringComparison.Ordinal) || f.Path.Contains(".hidden", StringComparison.Ordinal));
        Assert.DoesNotContain(walked, f => f == Folder("alpha", "src") || f == Folder("beta", "one", "two"));

        var filtered = await Rig.Konsole.GetProjectsAsync("ALP");
        Assert.Equal([Folder("alpha")], filtered.Folders.Select(f => f.Path));
    }

    [Fact]
    public async Task A_session_keeps_its_folder_when_konsole_restarts()
    {
        var two = Folder("beta", "one", "two");
        Rig.Model.SetScript(request => request.HasToolResult ? ModelReply.Text("Done.") : ModelReply.Bash("pwd >> where.txt", "Say where"));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Where are you?", WorkingDirectory: two));
        await Rig.ReadAllAsync(turn.TurnId);

        await Rig.Konui.RestartAsync();
        Assert.Equal(two, (await Rig.Konsole.GetSessionsAsync()).Single(s => s.SessionId == turn.SessionId).WorkingDirectory);
        var (_, events) = await Rig.RunAsync("And after the restart?", turn.SessionId);

        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        Assert.Equal(two, events.OfType<TurnInit>().Single().Cwd);
        Assert.Equal([two, two], File.ReadAllLines(Path.Combine(two, "where.txt")));
    }

    [Fact]
    public async Task The_changes_of_a_session_in_a_git_repository_list_what_its_turn_wrote_changed_and_deleted_with_diffs()
    {
        var gamma = Folder("gamma");
        Rig.Model.SetScript(ScriptedModelApi.Steps(
            ModelReply.Bash("echo third >> kept.txt && rm gone.txt", "Change one file, delete another"),
            ModelReply.Write(Path.Combine(gamma, "notes", "new.txt"), "hello\nworld\n"),
            ModelReply.Text("Done.")));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Change things", WorkingDirectory: gamma));
        await using (var watch = TurnWatch.Start(Rig.Konsole, turn.TurnId))
        {
            var asked = await watch.WaitForAsync<DecisionRequest>();
            Assert.Equal("Write", asked.ToolName);
            await Rig.Konsole.AnswerDecisionAsync(turn.TurnId, asked.DecisionId, new DecisionAnswer("allow"));
            Assert.True(Assert.IsType<TurnEnd>((await watch.EndAsync())[^1]).Success);
        }

        var changes = await Rig.Konsole.GetChangesAsync(turn.SessionId);

        Assert.Equal((gamma, gamma, (string?)null), (changes.Folder, changes.Repository, changes.Note));
        Assert.Equal([("gone.txt", FileChangeKind.Deleted), ("kept.txt", FileChangeKind.Modified), ("notes/new.txt", FileChangeKind.Untracked)],
            changes.Files.Select(f => (f.Path, f.Change)));
        var kept = changes.Files[1].Diff!;
        Assert.Equal([(DiffLineKind.Context, "first", 1, 1), (DiffLineKind.Context, "second", 2, 2), (DiffLineKind.Added, "third", null, 3)],
            kept.Hunks.Single().Lines.Select(l => (l.Kind, l.Text, l.OldNumber, l.NewNumber)));
        var written = changes.Files[2].Diff!;
        Assert.Equal((true, 2, "@@ -0,0 +1,2 @@"), (written.IsNewFile, written.AddedCount, written.Hunks.Single().Header));
        Assert.Equal(["hello", "world"], written.Hunks.Single().Lines.Select(l => l.Text));
        Assert.Equal((1, 0), (changes.Files[0].Diff!.RemovedCount, changes.Files[0].Diff!.AddedCount));
    }

    [Fact]
    public async Task A_session_outside_any_git_repository_has_no_changes_and_says_why()
    {
        Rig.Model.SetScript(ScriptedModelApi.Echo);
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Hello", WorkingDirectory: Folder("beta")));
        await Rig.ReadAllAsync(turn.TurnId);

        var changes = await Rig.Konsole.GetChangesAsync(turn.SessionId);

        Assert.Equal((Folder("beta"), (string?)null), (changes.Folder, changes.Repository));
        Assert.Empty(changes.Files);
        Assert.Equal($"No changes to show for {Folder("beta")}: it is not in a git repository.", changes.Note);
        var unknown = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.GetChangesAsync(Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task A_link_that_stays_inside_a_root_runs_the_session_in_the_folder_it_leads_to()
    {
        Rig.Model.SetScript(ScriptedModelApi.Echo);

        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("Through the alias", WorkingDirectory: Folder("alias")));
        var events = await Rig.ReadAllAsync(turn.TurnId);

        Assert.Equal(Folder("alpha"), events.OfType<TurnInit>().Single().Cwd);
        Assert.Equal(Folder("alpha"), (await Rig.Konsole.GetSessionAsync(turn.SessionId)).WorkingDirectory);
    }
}

/// <summary>Without Konsole:Projects sessions run where they always did, and no folder may be chosen.</summary>
public sealed class NoProjectsTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    [Fact]
    public async Task A_folder_is_refused_saying_projects_are_not_configured_and_none_are_offered()
    {
        var refused = await Assert.ThrowsAsync<KonsoleException>(() =>
            fixture.Rig.Konsole.StartTurnAsync(new TurnRequest("Work there", WorkingDirectory: Path.GetTempPath())));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.StartsWith("Projects are not configured: Konsole:Projects lists the folders sessions may run in.", refused.Message, StringComparison.Ordinal);
        var offered = await fixture.Rig.Konsole.GetProjectsAsync();
        Assert.False(offered.Configured);
        Assert.Empty(offered.Folders);

        fixture.Rig.Model.SetScript(ScriptedModelApi.Echo);
        var (_, events) = await fixture.Rig.RunAsync("Where do I run?");
        Assert.Equal(Path.Combine(fixture.Rig.Home, "work"), events.OfType<TurnInit>().Single().Cwd);
    }
}
