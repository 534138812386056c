using Konui.Core.Kontasks;

namespace Konui.Core.Tests.Kontasks;

/// <summary>The index kept beside kontasks.jsonl between starts: a restart reads it and parses only the lines appended since.</summary>
public sealed class KontaskIndexFileTests : IDisposable
{
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly StoreFixture _f = new();

    private string IndexPath => Path.Combine(_f.Directory, "kontasks.index");

    public void Dispose() => _f.Dispose();

    [Fact]
    public void A_restart_reads_the_index_file_and_parses_only_the_lines_appended_since()
    {
        var lines = new System.Text.StringBuilder();
        for (var n = 0; n < 3000; n++)
        {
            if (n == 10) lines.Append("not a kontask\n");
            var timing = n == 42 ? ""","turnTiming":{"totalMs":1200,"ttfeMs":300,"gpuMs":7}""" : $$""","turnTiming":{"totalMs":{{n}},"toolCallCount":{{n % 7}}}""";
            lines.Append(StoreFixture.Line($"kt_{n}", $"Kontask {n}",
                $$""","status":"{{(n % 2 == 0 ? "ready" : "failed")}}","tags":["t{{n % 5}}","all"],"description":"About {{n}}","context":{"output":"<p>{{n}}</p>","choices":[{"label":"Go","value":"go"}]{{timing}}}""",
                Created.AddSeconds(n)));
        }
        lines.Append(StoreFixture.Line("kt_5", "Kontask 5, updated", ",\"status\":\"completed\"", Created.AddSeconds(5)));
        _f.WriteRaw(lines.ToString());
        _f.Store.Start();
        var before = Shown(_f.Store);
        var facets = _f.Store.Facets();
        Assert.Single(_f.Log.Warnings, w => w.Contains("line 11:", StringComparison.Ordinal));

        var restarted = _f.Open();
        Assert.True(File.Exists(IndexPath));
        _f.WriteRaw(StoreFixture.Line("kt_new", "Appended while Konui was down", null, Created.AddDays(1))
            + StoreFixture.Line("kt_7", "Kontask 7, updated while Konui was down", ",\"status\":\"completed\"", Created.AddSeconds(7)));
        _f.Log.Entries.Clear();
        restarted.Start();

        Assert.Contains(_f.Log.Entries, e => e.Message.StartsWith("Read the index of 3000 kontasks", StringComparison.Ordinal));
        Assert.Empty(_f.Log.Warnings);
        Assert.Equal(3001, restarted.Count);
        var after = Shown(restarted);
        Assert.Equal(before.Where(k => !k.StartsWith("kt_7|", StringComparison.Ordinal)), after.Where(k => !k.StartsWith("kt_7|", StringComparison.Ordinal) && !k.StartsWith("kt_new|", StringComparison.Ordinal)));
        Assert.Equal("Kontask 7, updated while Konui was down", restarted.FindSummary("kt_7")!.Title);
        Assert.Equal("Kontask 5, updated", restarted.Get("kt_5")!.Title);
        Assert.Equal("<p>2999</p>", restarted.Get("kt_2999")!.Context!.Output);
        Assert.Equal(7, restarted.FindSummary("kt_42")!.Timing!.Extra!["gpuMs"].GetInt32());
        Assert.Equal(3003, restarted.FindSummary("kt_new")!.LineNumber);
        Assert.Equal(["kt_new", "kt_2999"], restarted.Query(new KontaskQuery(Take: 2)).Items.Select(k => k.Id));
        Assert.Equal(facets.Tags, restarted.Facets().Tags);
        Assert.Equal(["completed", "failed", "ready"], restarted.Facets().Statuses);
        Assert.Equal(1498, restarted.Query(new KontaskQuery(Status: "failed")).Total);
    }

    [Fact]
    public void A_restart_reads_an_index_file_larger_than_its_read_buffer_as_the_lines_gave_it()
    {
        var lines = new System.Text.StringBuilder();
        for (var n = 0; n < 6000; n++)
        {
            var words = string.Join(' ', Enumerable.Range(0, 40).Select(w => $"mot{(n * 41 + w) % 997}é"));
            lines.Append(StoreFixture.Line($"kt_{n}", $"Kontask {n}: ünïcode {words[..60]}",
                $$$""","description":"{{{words}}}","tags":["t{{{n % 7}}}"],"context":{"turnTiming":{"totalMs":{{{n}}}}}""", Created.AddSeconds(n)));
        }
        _f.WriteRaw(lines.ToString());
        _f.Store.Start();
        var before = Shown(_f.Store);

        var restarted = _f.Open();
        Assert.True(new FileInfo(IndexPath).Length > 2 << 20, $"the index file has {new FileInfo(IndexPath).Length} bytes, not several megabytes");
        _f.Log.Entries.Clear();
        restarted.Start();

        Assert.Contains(_f.Log.Entries, e => e.Message.StartsWith("Read the index of 6000 kontasks", StringComparison.Ordinal));
        Assert.Equal(before, Shown(restarted));
    }

    [Fact]
    public void An_index_file_written_for_another_kontasks_file_is_not_used()
    {
        _f.WriteRaw(StoreFixture.Line("a", "one") + StoreFixture.Line("b", "two"));
        _f.Store.Start();
        _f.Store.Append(new Kontask { Id = "c", Title = "three" });
        var restarted = _f.Open();
        Assert.True(File.Exists(IndexPath));

        File.WriteAllText(_f.FilePath, StoreFixture.Line("x", "a new file") + StoreFixture.Line("y", "of other kontasks") + StoreFixture.Line("z", "longer than the first"));
        restarted.Start();

        Assert.Equal(["x", "y", "z"], restarted.Query(new KontaskQuery()).Items.Select(k => k.Id).Order());
        Assert.Contains(_f.Log.Entries, e => e.Message.Contains("was written for another", StringComparison.Ordinal));
    }

    [Fact]
    public void A_damaged_index_file_is_passed_over_with_a_warning_and_written_whole_again()
    {
        _f.WriteRaw(string.Concat(Enumerable.Range(0, 50).Select(n => StoreFixture.Line($"kt_{n}", $"Kontask {n}"))));
        _f.Store.Start();
        _f.Open();
        var whole = File.ReadAllBytes(IndexPath);
        File.WriteAllBytes(IndexPath, whole[..(whole.Length / 2)]);

        _f.Store.Start();
        Assert.Equal(50, _f.Store.Count);
        Assert.Contains(_f.Log.Warnings, w => w.Contains("is not used, it is cut short or damaged", StringComparison.Ordinal));

        _f.Log.Entries.Clear();
        _f.Open().Start();
        Assert.Equal(50, _f.Store.Count);
        Assert.Contains(_f.Log.Entries, e => e.Message.StartsWith("Read the index of 50 kontasks", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_index_file_is_written_once_enough_lines_came_and_readable_by_its_owner_only()
    {
        _f.Store.Start();
        for (var n = 0; n < 999; n++) _f.WriteRaw(StoreFixture.Line($"kt_{n}", $"Kontask {n}"));
        _f.Store.CatchUp();
        Assert.False(File.Exists(IndexPath));

        _f.Store.Append(new Kontask { Id = "kt_1000th", Title = "The thousandth line" });

        Assert.True(SpinWait.SpinUntil(() => File.Exists(IndexPath), TimeSpan.FromSeconds(10)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(IndexPath));
    }

    /// <summary>Every kontask as the list shows it (all of its summary), newest first.</summary>
    private static List<string> Shown(KontaskStore store) =>
        store.Query(new KontaskQuery(Take: int.MaxValue)).Items.Select(k =>
            $"{k.Id}|{k.Title}|{k.Description}|{k.Type}|{k.Status}|{k.Scope}|{string.Join(',', k.Tags)}|{k.RequestId}|{k.CreatedBy}|{k.CreatedAt:O}|{k.UpdatedAt:O}|" +
            $"{k.Timing?.TotalMs}|{k.Timing?.ToolCallCount}|{k.ChoiceCount}|{k.Offset}|{k.Length}|{k.LineNumber}").ToList();
}
