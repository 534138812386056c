using System.Diagnostics;
using Konui.Core.Konsole;
using Konui.Core.Transcripts;

namespace Konsole.Tests.Projects;

/// <summary>A repository's changes against HEAD as konsole reads them with the git CLI: every kind, odd names, and the limits.</summary>
public sealed class WorkingTreeChangesTests : IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("konui-changes-").FullName;

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    private void Git(params string[] arguments)
    {
        using var git = Process.Start(new ProcessStartInfo("git", ["-C", _repository, "-c", "user.name=Test", "-c", "user.email=test@example.com", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, error);
    }

    private void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_repository, path))!);
        File.WriteAllText(Path.Combine(_repository, path), text);
    }

    private void Commit(params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files) Write(path, text);
        Git("add", "-A");
        Git("commit", "-q", "-m", "files");
    }

    private Task<SessionChanges> ReadAsync(string? folder = null) => WorkingTreeChanges.ReadAsync("s1", folder ?? _repository, CancellationToken.None);

    [Fact]
    public async Task Staged_and_unstaged_changes_count_against_HEAD_ignored_files_do_not_and_a_subfolder_sees_the_whole_repository()
    {
        Git("init", "-q");
        Commit(("a.txt", "a\n"), ("src/b.txt", "b\n"), (".gitignore", "*.log\n"));
        Write("a.txt", "a\nmore\n");
        Write("src/b.txt", "B\n");
        Git("add", "src/b.txt");
        Write("build.log", "ignored\n");
        Write("src/c.txt", "new\n");
        Git("add", "src/c.txt");

        var changes = await ReadAsync(Path.Combine(_repository, "src"));

        Assert.Equal(_repository, changes.Repository);
        Assert.Equal([("a.txt", FileChangeKind.Modified), ("src/b.txt", FileChangeKind.Modified), ("src/c.txt", FileChangeKind.Added)],
            changes.Files.Select(f => (f.Path, f.Change)));
        Assert.True(changes.Files[2].Diff!.IsNewFile);
        Assert.Equal((1, 1), (changes.Files[1].Diff!.AddedCount, changes.Files[1].Diff!.RemovedCount));
    }

    [Fact]
    public async Task A_repository_without_a_commit_shows_everything_as_new()
    {
        Git("init", "-q");
        Write("staged.txt", "one\n");
        Git("add", "staged.txt");
        Write("loose.txt", "two\n");

        var changes = await ReadAsync();

        Assert.Equal([("loose.txt", FileChangeKind.Untracked), ("staged.txt", FileChangeKind.Added)], changes.Files.Select(f => (f.Path, f.Change)));
        Assert.All(changes.Files, f => Assert.Equal(1, f.Diff!.AddedCount));
    }

    [Fact]
    public async Task Odd_file_names_get_their_own_diffs_and_are_never_read_as_patterns()
    {
        Git("init", "-q");
        string[] names = ["*.txt", "with space.txt", "tab\there.txt", "ünï.txt", "z.txt"];
        Commit([.. names.Select(n => (n, "old " + n + "\n"))]);
        foreach (var name in names) Write(name, "new " + name + "\n");

        var changes = await ReadAsync();

        Assert.Equal(names.Order(StringComparer.Ordinal), changes.Files.Select(f => f.Path));
        Assert.All(changes.Files, f => Assert.Equal(["old " + f.Path, "new " + f.Path], f.Diff!.Hunks.Single().Lines.Select(l => l.Text)));
    }

    [Fact]
    public async Task A_binary_file_a_mode_change_and_a_link_are_named_without_showing_what_they_hold()
    {
        Git("init", "-q");
        Commit(("script.sh", "echo hi\n"));
        File.WriteAllBytes(Path.Combine(_repository, "image.bin"), [1, 0, 2, 0, 3]);
        Git("add", "image.bin");
        using (var chmod = Process.Start("chmod", ["+x", Path.Combine(_repository, "script.sh")])) chmod.WaitForExit();
        File.CreateSymbolicLink(Path.Combine(_repository, "secret"), "/etc/passwd");
        File.WriteAllBytes(Path.Combine(_repository, "loose.bin"), [0, 0, 7]);

        var changes = await ReadAsync();

        var byPath = changes.Files.ToDictionary(f => f.Path);
        Assert.Equal((FileChangeKind.Added, "binary file", (FileDiff?)null), (byPath["image.bin"].Change, byPath["image.bin"].Note, byPath["image.bin"].Diff));
        Assert.Equal(("binary file", (FileDiff?)null), (byPath["loose.bin"].Note, byPath["loose.bin"].Diff));
        Assert.Equal((FileChangeKind.Modified, "no change to its text (its mode changed)"), (byPath["script.sh"].Change, byPath["script.sh"].Note));
        Assert.Equal("symbolic link", byPath["secret"].Note);
        Assert.Equal(["/etc/passwd"], byPath["secret"].Diff!.Hunks.Single().Lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Huge_changes_are_cut_with_a_note_and_the_file_list_stops_at_its_limit()
    {
        Git("init", "-q");
        Commit(("long.txt", string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n"))), ("huge.txt", "small\n"));
        Write("long.txt", string.Concat(Enumerable.Range(0, 5000).Select(i => $"LINE {i}\n")));
        Write("huge.txt", new string('x', 3 * 1024 * 1024) + "\n");
        Write("big-new.txt", new string('y', WorkingTreeChanges.MaxUntrackedBytes + 1));
        for (var i = 0; i < SessionChanges.MaxFiles; i++) Write($"many/{i:D4}.txt", "n\n");

        var changes = await ReadAsync();

        Assert.Equal(SessionChanges.MaxFiles, changes.Files.Count);
        Assert.Equal(3, changes.OmittedFiles);
        Assert.Equal($"More files changed than are shown here: the first {SessionChanges.MaxFiles} by path.", changes.Note);
        var byPath = changes.Files.ToDictionary(f => f.Path);
        Assert.StartsWith("diff not shown: 256 KB, over the 256 KB shown for a new file", byPath["big-new.txt"].Note, StringComparison.Ordinal);
        Assert.Equal("diff not shown: over 512 KB", byPath["huge.txt"].Note);
        var cut = byPath["long.txt"].Diff!;
        Assert.Equal((FileDiff.MaxLines, 10000 - FileDiff.MaxLines, 5000, 5000), (cut.LineCount, cut.OmittedLines, cut.AddedCount, cut.RemovedCount));
    }

    [Fact]
    public async Task A_folder_in_no_repository_says_so()
    {
        var changes = await ReadAsync();

        Assert.Null(changes.Repository);
        Assert.Empty(changes.Files);
        Assert.Equal($"No changes to show for {_repository}: it is not in a git repository.", changes.Note);
    }
}
