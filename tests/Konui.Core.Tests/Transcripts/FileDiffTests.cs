using System.Diagnostics;
using System.Text.Json;
using Konui.Core.Transcripts;

namespace Konui.Core.Tests.Transcripts;

/// <summary>The diff a review draws: lines added and removed with their numbers, as git reads it.</summary>
public sealed class FileDiffTests
{
    private static string Lines(int from, int to, Func<int, string>? line = null) =>
        string.Concat(Enumerable.Range(from, to - from + 1).Select(i => (line ?? (n => $"line {n}"))(i) + "\n"));

    /// <summary>A line as a reader would say it: old number, new number, mark and text.</summary>
    internal static string Describe(DiffLine line) =>
        $"{line.OldNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "."} {line.NewNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "."} "
        + line.Kind switch { DiffLineKind.Added => "+", DiffLineKind.Removed => "-", _ => " " } + line.Text;

    [Fact]
    public void Two_texts_give_hunks_with_three_lines_around_each_change_numbered_in_the_old_and_the_new_file()
    {
        var before = Lines(1, 30);
        var after = before.Replace("line 5\n", "line five\n", StringComparison.Ordinal).Replace("line 25\n", "line 25\nline 25b\n", StringComparison.Ordinal);

        var diff = FileDiff.Between("src/a.txt", before, after);

        Assert.Equal((2, 1, 2), (diff.AddedCount, diff.RemovedCount, diff.Hunks.Count));
        Assert.Equal(["@@ -2,7 +2,7 @@", "@@ -23,6 +23,7 @@"], diff.Hunks.Select(h => h.Header));
        Assert.Equal(["2 2  line 2", "3 3  line 3", "4 4  line 4", "5 . -line 5", ". 5 +line five", "6 6  line 6", "7 7  line 7", "8 8  line 8"],
            diff.Hunks[0].Lines.Select(Describe));
        Assert.Equal(["25 25  line 25", ". 26 +line 25b", "26 27  line 26"], diff.Hunks[1].Lines.Skip(2).Take(3).Select(Describe));
        Assert.Equal(diff.Hunks.Sum(h => h.Lines.Count), diff.LineCount);
        Assert.True(diff.HasFileLineNumbers);
    }

    [Fact]
    public void Changes_close_together_share_one_hunk()
    {
        var before = Lines(1, 20);
        var after = before.Replace("line 5\n", "", StringComparison.Ordinal).Replace("line 10\n", "line ten\n", StringComparison.Ordinal);

        var diff = FileDiff.Between("a", before, after);

        var hunk = Assert.Single(diff.Hunks);
        Assert.Equal("@@ -2,12 +2,11 @@", hunk.Header);
    }

    [Fact]
    public void A_new_file_is_every_line_added_from_line_one()
    {
        var diff = FileDiff.Between("new.txt", "", "one\ntwo\n", isNewFile: true);

        Assert.Equal(["@@ -0,0 +1,2 @@"], diff.Hunks.Select(h => h.Header));
        Assert.Equal([". 1 +one", ". 2 +two"], diff.Hunks[0].Lines.Select(Describe));
        Assert.StartsWith("--- /dev/null\n+++ b/new.txt\n", diff.ToUnified(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb\nc\n", "a\nB\nc\n")]
    [InlineData("", "first\nsecond\n")]
    [InlineData("gone\nalso gone\n", "")]
    [InlineData("x\r\ny\r\n", "x\r\nY\r\n")]
    public void Git_applies_the_unified_text_to_the_old_file_and_gets_the_new_one(string before, string after)
    {
        var folder = Directory.CreateTempSubdirectory("konui-diff-").FullName;
        try
        {
            var file = Path.Combine(folder, "f.txt");
            File.WriteAllText(file, before.Replace("\r\n", "\n", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(folder, "change.patch"), FileDiff.Between("f.txt", before, after, isNewFile: before.Length == 0).ToUnified());
            if (before.Length == 0) File.Delete(file);

            var apply = Process.Start(new ProcessStartInfo("git", ["apply", "--unidiff-zero", "change.patch"]) { WorkingDirectory = folder, RedirectStandardError = true })!;
            var error = apply.StandardError.ReadToEnd();
            apply.WaitForExit();

            Assert.True(apply.ExitCode == 0, error);
            Assert.Equal(after.Replace("\r\n", "\n", StringComparison.Ordinal), File.Exists(file) ? File.ReadAllText(file) : "");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_unified_diff_reads_back_as_the_same_hunks()
    {
        var diff = FileDiff.Between("b.txt", Lines(1, 40), Lines(1, 40, n => n % 10 == 0 ? $"changed {n}" : $"line {n}"));

        var read = FileDiff.FromUnified("b.txt", "diff --git a/b.txt b/b.txt\nindex 1..2 100644\n" + diff.ToUnified() + "\\ No newline at end of file\n");

        Assert.Equal(diff.Hunks.Select(h => h.Header), read.Hunks.Select(h => h.Header));
        Assert.Equal(diff.Hunks.SelectMany(h => h.Lines), read.Hunks.SelectMany(h => h.Lines));
        Assert.Equal((4, 4), (read.AddedCount, read.RemovedCount));
    }

    [Fact]
    public void A_huge_change_keeps_its_first_lines_and_counts_them_all()
    {
        var diff = FileDiff.Between("big.txt", "", Lines(1, FileDiff.MaxLines + 500), isNewFile: true);

        Assert.Equal((FileDiff.MaxLines, 500, true), (diff.LineCount, diff.OmittedLines, diff.IsTruncated));
        Assert.Equal(FileDiff.MaxLines + 500, diff.AddedCount);
        Assert.Equal(FileDiff.MaxLines, diff.Hunks[^1].Lines[^1].NewNumber);
    }

    [Fact]
    public void An_approval_card_gets_the_change_from_the_tool_input_alone()
    {
        using var write = JsonDocument.Parse("""{"file_path": "/p/notes.txt", "content": "hello\nworld\n"}""");
        using var edit = JsonDocument.Parse("""{"file_path": "/p/a.cs", "old_string": "int x = 1;\nreturn x;", "new_string": "int x = 2;\nreturn x;"}""");
        using var multi = JsonDocument.Parse("""{"file_path": "/p/b.cs", "edits": [{"old_string": "a", "new_string": "b"}, {"old_string": "c\nd", "new_string": "c"}]}""");
        using var bash = JsonDocument.Parse("""{"command": "ls"}""");

        var written = FileDiff.OfToolInput("Write", write.RootElement)!;
        var edited = FileDiff.OfToolInput("Edit", edit.RootElement)!;
        var multiEdited = FileDiff.OfToolInput("MultiEdit", multi.RootElement)!;

        Assert.Equal(("/p/notes.txt", 2, 0), (written.Path, written.AddedCount, written.RemovedCount));
        Assert.Equal(["1 . -int x = 1;", ". 1 +int x = 2;", "2 2  return x;"], edited.Hunks.Single().Lines.Select(Describe));
        Assert.False(edited.HasFileLineNumbers);
        Assert.Equal((2, 1, 2), (multiEdited.Hunks.Count, multiEdited.AddedCount, multiEdited.RemovedCount));
        Assert.Null(FileDiff.OfToolInput("Bash", bash.RootElement));
        Assert.Null(FileDiff.OfToolInput("Edit", bash.RootElement));
    }
}
