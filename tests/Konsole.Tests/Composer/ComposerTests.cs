using System.Net;
using Konui.Core.Konsole;
using Konui.Core.Transcripts;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Composer;

/// <summary>What the prompt box offers: the session's slash commands from its init, and paths in its folder for '@'.</summary>
public sealed class ComposerTests(ClaudeFixture fixture) : IClassFixture<ClaudeFixture>
{
    private KonuiWithClaude Rig => fixture.Rig;

    private string Work => Path.Combine(Rig.Home, "work");

    [Fact]
    public async Task The_sessions_slash_commands_are_those_of_its_init()
    {
        Rig.Model.SetScript(ScriptedModelApi.Echo);

        var (turn, events) = await Rig.RunAsync("Hello");

        var init = events.OfType<TurnInit>().Single();
        Assert.Contains("compact", init.SlashCommands!);
        Assert.Contains("review", init.SlashCommands!);
        Assert.Equal(init.SlashCommands, (await Rig.Konsole.GetSessionAsync(turn.SessionId)).SlashCommands);
        var transcript = new Transcript();
        foreach (var turnEvent in events) transcript.Apply(turn.TurnId, turnEvent);
        Assert.Equal(init.SlashCommands, transcript.SlashCommands);
    }

    [Fact]
    public async Task Paths_complete_by_prefix_inside_the_sessions_folder_and_never_outside_it()
    {
        Directory.CreateDirectory(Path.Combine(Work, "src", "App"));
        File.WriteAllText(Path.Combine(Work, "src", "App", "Program.cs"), "class Program;");
        File.WriteAllText(Path.Combine(Work, "src", "Apple.txt"), "apple");
        File.WriteAllText(Path.Combine(Work, "README.md"), "read me");
        Directory.CreateDirectory(Path.Combine(Work, ".git"));
        File.WriteAllText(Path.Combine(Work, ".git", "Program.cs"), "not offered");
        Directory.CreateDirectory(Path.Combine(Work, "node_modules", "pkg"));
        File.WriteAllText(Path.Combine(Work, "node_modules", "pkg", "Program.js"), "not offered");
        File.CreateSymbolicLink(Path.Combine(Work, "outside"), "/etc");
        Rig.Model.SetScript(ScriptedModelApi.Echo);
        var (turn, _) = await Rig.RunAsync("Which files are there?");

        async Task<IEnumerable<string>> Complete(string prefix) => (await Rig.Konsole.GetFilesAsync(turn.SessionId, prefix)).Files.Select(f => f.Path);

        Assert.Equal(["src/App/", "src/Apple.txt"], await Complete("src/A"));
        Assert.Equal(["src/../src/App/", "src/../src/Apple.txt"], await Complete("src/../src/a"));
        Assert.Equal(["src/App/Program.cs"], await Complete("Prog"));
        Assert.Equal(["README.md"], await Complete("rea"));
        var top = (await Complete("")).ToList();
        Assert.Contains("src/", top);
        Assert.DoesNotContain(top, p => p.StartsWith(".git", StringComparison.Ordinal) || p.StartsWith("node_modules", StringComparison.Ordinal));
        Assert.Empty(await Complete("node_modules/p"));

        foreach (var (prefix, says) in new[] { ("../", "leads outside the session's folder"), ("outside/", "leads outside the session's folder"), ("/etc/", "not an absolute path") })
        {
            var refused = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.GetFilesAsync(turn.SessionId, prefix));
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        }
        var unknown = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.GetFilesAsync(Guid.NewGuid().ToString(), "src"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }
}

/// <summary>The limits of '@' completion, on a folder of its own.</summary>
public sealed class FolderFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("konui-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_prefix_matching_many_paths_lists_the_first_ones_and_says_there_are_more()
    {
        for (var i = 0; i < FolderFiles.MaxResults + 10; i++) File.WriteAllText(Path.Combine(_folder, $"note-{i:D3}.txt"), "");

        var (files, error) = FolderFiles.Complete(_folder, "note-");

        Assert.Null(error);
        Assert.Equal(FolderFiles.MaxResults, files!.Files.Count);
        Assert.True(files.More);
        Assert.Equal("note-000.txt", files.Files[0].Path);
    }

    [Fact]
    public void A_search_deeper_down_does_not_follow_links_and_a_missing_folder_completes_to_nothing()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "real"));
        File.WriteAllText(Path.Combine(_folder, "real", "target.txt"), "");
        File.CreateSymbolicLink(Path.Combine(_folder, "loop"), _folder);

        var (deep, _) = FolderFiles.Complete(_folder, "targ");
        var (missing, _) = FolderFiles.Complete(_folder, "nowhere/x");

        Assert.Equal(["real/target.txt"], deep!.Files.Select(f => f.Path));
        Assert.False(deep.More);
        Assert.Empty(missing!.Files);
    }
}
