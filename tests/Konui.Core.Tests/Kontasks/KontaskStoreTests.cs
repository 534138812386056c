using System.Diagnostics;
using System.Text.Json;
using Konui.Core.Events;
using Konui.Core.Kontasks;

namespace Konui.Core.Tests.Kontasks;

public sealed class KontaskStoreTests : IDisposable
{
    private readonly StoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Four_writer_processes_appending_500_each_leave_2000_whole_lines()
    {
        var writer = WriterPath();
        var processes = Enumerable.Range(1, 4).Select(n => Process.Start(new ProcessStartInfo("dotnet", [writer, _f.FilePath, $"w{n}", "500"])
        {
            RedirectStandardError = true,
        })!).ToList();
        foreach (var p in processes)
        {
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, await p.StandardError.ReadToEndAsync());
        }

        var lines = WholeLines();
        Assert.Equal(2000, lines.Count);
        Assert.All(lines, line => Assert.Equal(line.Length, JsonSerializer.Serialize(JsonDocument.Parse(line).RootElement, KontaskJson.Options).Length));

        _f.Store.Start();
        Assert.Equal(2000, _f.Store.Count);
        Assert.Empty(_f.Log.Warnings);
        for (var n = 1; n <= 4; n++)
        {
            Assert.Equal(500, _f.Store.Query(new KontaskQuery(Search: $"w{n} #", Take: 1000)).Total);
        }
    }

    [Fact]
    public async Task Lines_other_programs_append_with_O_APPEND_during_creates_are_never_overwritten()
    {
        var writer = WriterPath();
        _f.Store.Start();
        var processes = Enumerable.Range(1, 4).Select(n => Process.Start(new ProcessStartInfo("dotnet", [writer, _f.FilePath, $"x{n}", "300", "o-append"])
        {
            RedirectStandardError = true,
        })!).ToList();

        var created = 0;
        var creates = Enumerable.Range(1, 2).Select(c => Task.Run(() =>
        {
            while (processes.Any(p => !p.HasExited) || created < 100)
            {
                var n = Interlocked.Increment(ref created);
                _f.Store.Append(new Kontask { Id = $"mcp-{n}", Title = $"mcp #{n}", Description = new string('m', 2000), CreatedAt = DateTimeOffset.UtcNow });
            }
        })).ToList();
        foreach (var p in processes)
        {
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, await p.StandardError.ReadToEndAsync());
        }
        await Task.WhenAll(creates);

        var lines = WholeLines();
        Assert.All(lines, line => Assert.Equal(line.Length, JsonSerializer.Serialize(JsonDocument.Parse(line).RootElement, KontaskJson.Options).Length));
        var ids = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()).ToHashSet();
        var expected = Enumerable.Range(1, 4).SelectMany(n => Enumerable.Range(0, 300).Select(i => $"x{n}-{i}"))
            .Concat(Enumerable.Range(1, created).Select(n => $"mcp-{n}")).ToList();
        var lost = expected.Where(id => !ids.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {expected.Count} lines lost: {string.Join(", ", lost.Take(20))}");
        Assert.Equal(expected.Count, lines.Count);
        _f.Store.CatchUp();
        Assert.Equal(expected.Count, _f.Store.Count);
        Assert.Empty(_f.Log.Warnings);
    }

    [Fact]
    public void A_create_after_a_fragment_a_dead_writer_left_starts_on_a_line_of_its_own()
    {
        _f.WriteRaw(StoreFixture.Line("a", "one") + "{\"id\":\"torn\",\"ti");
        _f.Store.Start();

        _f.Store.Append(new Kontask { Id = "b", Title = "two" });

        Assert.Equal("two", _f.Store.Get("b")?.Title);
        Assert.Contains("line 2", Assert.Single(_f.Log.Warnings), StringComparison.Ordinal);
    }

    /// <summary>
    /// The file's lines but empty ones: a writer stalled mid-line when a create looked at the end of the file costs
    /// an empty line (readers skip them); what must never happen is a lost or torn line.
    /// </summary>
    private List<string> WholeLines() => File.ReadAllLines(_f.FilePath).Where(line => line.Length > 0).ToList();

    private static string WriterPath()
    {
        var writer = Path.Combine(AppContext.BaseDirectory.Replace("Konui.Core.Tests", "KontaskWriter", StringComparison.Ordinal), "KontaskWriter.dll");
        Assert.True(File.Exists(writer), $"the writer program was not built at {writer}");
        return writer;
    }

    [Fact]
    public void A_partial_last_line_waits_for_its_newline()
    {
        _f.WriteRaw(StoreFixture.Line("a", "first"));
        _f.Store.Start();
        var whole = StoreFixture.Line("b", "second");

        _f.WriteRaw(whole[..20]);
        _f.Store.CatchUp();
        Assert.Null(_f.Store.FindSummary("b"));
        Assert.Empty(_f.Log.Warnings);

        _f.WriteRaw(whole[20..]);
        _f.Store.CatchUp();
        Assert.Equal("second", _f.Store.Get("b")?.Title);
        Assert.Equal("b", Assert.IsType<KontaskReady>(_f.NextEvent()).Kontask.Id);
        Assert.Empty(_f.Log.Warnings);
    }

    [Fact]
    public void A_large_file_is_indexed_in_blocks_in_its_order_with_every_line_where_it_is()
    {
        // About 9 MB: parsed as blocks of lines in parallel, applied in the file's order.
        var created = DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var output = new string('o', 3000);
        var text = new System.Text.StringBuilder();
        var lineNumber = 0;
        void Add(string line)
        {
            text.Append(line);
            lineNumber++;
        }
        for (var n = 0; n < 3000; n++)
        {
            if (n == 1000) Add("{\"id\":\"torn\",\"title\":\"cut here\n");
            if (n == 2000) Add("\n");
            if (n == 2500) Add("{\"title\":\"no id\"}\n");
            Add(StoreFixture.Line($"kt_{n}", $"Kontask {n}", $",\"context\":{{\"output\":\"<p>{n} {output}</p>\"}}", created.AddSeconds(n)));
        }
        Add(StoreFixture.Line("kt_5", "Kontask 5, updated", null, created.AddSeconds(5)));
        var partial = StoreFixture.Line("kt_last", "The last one", null, created.AddDays(1));
        _f.WriteRaw(text + partial[..30]);

        _f.Store.Start();

        Assert.Equal(3000, _f.Store.Count);
        Assert.Equal("Kontask 5, updated", _f.Store.FindSummary("kt_5")!.Title);
        Assert.Equal($"<p>2999 {output}</p>", _f.Store.Get("kt_2999")!.Context!.Output);
        Assert.Equal($"<p>1234 {output}</p>", _f.Store.Get("kt_1234")!.Context!.Output);
        Assert.Equal(["kt_2999", "kt_2998", "kt_2997"], _f.Store.Query(new KontaskQuery(Take: 3)).Items.Select(k => k.Id));
        Assert.Equal(lineNumber, _f.Store.FindSummary("kt_5")!.LineNumber);
        Assert.Equal(1002, _f.Store.FindSummary("kt_1000")!.LineNumber);
        var warnings = _f.Log.Warnings.ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("line 1001:", warnings[0], StringComparison.Ordinal);
        Assert.Contains("line 2503:", warnings[1], StringComparison.Ordinal);

        _f.WriteRaw(partial[30..]);
        _f.Store.CatchUp();
        Assert.Equal("kt_last", Assert.IsType<KontaskReady>(_f.NextEvent()).Kontask.Id);
        Assert.Equal(lineNumber + 1, _f.Store.FindSummary("kt_last")!.LineNumber);
    }

    [Fact]
    public void Started_in_the_background_the_store_answers_only_with_the_whole_index()
    {
        _f.WriteRaw(string.Concat(Enumerable.Range(0, 20_000).Select(n => StoreFixture.Line($"kt_{n}", $"Kontask {n}", ",\"status\":\"ready\""))));

        _f.Store.StartInBackground();

        Assert.Equal(20_000, _f.Store.Query(new KontaskQuery()).Total);
        Assert.Equal(["ready"], _f.Store.Facets().Statuses);
        Assert.Equal("Kontask 19999", _f.Store.Get("kt_19999")!.Title);
        _f.Store.Append(new Kontask { Id = "kt_new", Title = "Appended after" });
        Assert.Equal("kt_new", Assert.IsType<KontaskReady>(_f.NextEvent()).Kontask.Id);
    }

    [Fact]
    public void A_corrupt_line_is_skipped_with_its_line_number_and_every_other_record_loads()
    {
        _f.WriteRaw(StoreFixture.Line("a", "one") + StoreFixture.Line("b", "two") + "{\"id\":\"c\",\"title\":\"tor\n"
            + "not json at all\n" + StoreFixture.Line("d", "four") + "{\"title\":\"no id\"}\n" + StoreFixture.Line("e", "five"));

        _f.Store.Start();

        Assert.Equal(["a", "b", "d", "e"], _f.Store.Query(new KontaskQuery()).Items.Select(k => k.Id).Order());
        var warnings = _f.Log.Warnings.ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains("line 3", warnings[0], StringComparison.Ordinal);
        Assert.Contains("line 4", warnings[1], StringComparison.Ordinal);
        Assert.Contains("line 6", warnings[2], StringComparison.Ordinal);
        Assert.Contains("\"id\"", warnings[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_and_rewritten_file_is_reindexed_cleanly()
    {
        _f.WriteRaw(StoreFixture.Line("a", "one") + StoreFixture.Line("b", "two"));
        _f.Store.Start();
        Assert.Equal(2, _f.Store.Count);

        File.WriteAllText(_f.FilePath, "");
        _f.Store.CatchUp();
        Assert.Equal(0, _f.Store.Count);
        Assert.IsType<KontasksReloaded>(_f.NextEvent());

        _f.WriteRaw(StoreFixture.Line("x", "new one"));
        _f.Store.CatchUp();
        Assert.Equal("new one", _f.Store.Get("x")?.Title);
        Assert.Null(_f.Store.FindSummary("a"));
    }

    [Fact]
    public void A_file_replaced_by_a_longer_one_is_reindexed_not_tailed()
    {
        _f.WriteRaw(StoreFixture.Line("a", "one"));
        _f.Store.Start();

        var replacement = Path.Combine(_f.Directory, "next.jsonl");
        File.WriteAllText(replacement, StoreFixture.Line("p", "other") + StoreFixture.Line("q", "another") + StoreFixture.Line("r", "third"));
        File.Move(replacement, _f.FilePath, overwrite: true);
        _f.Store.CatchUp();

        Assert.Equal(["p", "q", "r"], _f.Store.Query(new KontaskQuery()).Items.Select(k => k.Id).Order());
        Assert.Equal("another", _f.Store.Get("q")?.Title);
        Assert.IsType<KontasksReloaded>(_f.NextEvent());
    }

    [Fact]
    public void An_update_is_a_new_line_with_the_same_id_and_the_newest_wins()
    {
        var created = DateTimeOffset.Parse("2026-11-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        _f.Store.Start();
        _f.Store.Append(new Kontask { Id = "k1", Title = "Draft", Status = "pending", CreatedAt = created });
        _f.Store.Append(new Kontask { Id = "k2", Title = "Other", CreatedAt = created.AddMinutes(1) });
        _f.Store.Append(new Kontask { Id = "k1", Title = "Final", Status = "completed", CreatedAt = created, UpdatedAt = created.AddMinutes(5) });

        Assert.Equal(3, File.ReadAllLines(_f.FilePath).Length);
        Assert.Equal(2, _f.Store.Count);
        Assert.Equal("Final", _f.Store.Get("k1")?.Title);
        Assert.Equal(["k2", "k1"], _f.Store.Query(new KontaskQuery()).Items.Select(k => k.Id));
        Assert.IsType<KontaskReady>(_f.NextEvent());
        Assert.IsType<KontaskReady>(_f.NextEvent());
        var updated = Assert.IsType<KontaskUpdated>(_f.NextEvent());
        Assert.Equal("completed", updated.Kontask.Status);

        using var reopened = new KontaskStore(new KontaskStoreOptions(_f.FilePath), new EventBus());
        reopened.Start();
        Assert.Equal("Final", reopened.Get("k1")?.Title);
    }

    [Fact]
    public void Fields_it_does_not_know_survive_a_read_and_a_write()
    {
        const string line = """{"id":"u1","title":"T","future":{"x":[1,2]},"context":{"output":"<b>hi</b>","layout":"wide","choices":[{"label":"Go","value":"go","primary":true,"icon":"rocket"}],"turnTiming":{"totalMs":1200,"ttfeMs":300,"gpuMs":7}},"priority":3}""";
        _f.WriteRaw(line + "\n");
        _f.Store.Start();

        var kontask = _f.Store.Get("u1")!;
        kontask.Title = "T2";
        _f.Store.Append(kontask);

        var written = JsonDocument.Parse(File.ReadAllLines(_f.FilePath)[1]).RootElement;
        Assert.Equal("T2", written.GetProperty("title").GetString());
        Assert.Equal("[1,2]", written.GetProperty("future").GetProperty("x").GetRawText());
        Assert.Equal(3, written.GetProperty("priority").GetInt32());
        var context = written.GetProperty("context");
        Assert.Equal("wide", context.GetProperty("layout").GetString());
        Assert.Equal("rocket", context.GetProperty("choices")[0].GetProperty("icon").GetString());
        Assert.Equal(7, context.GetProperty("turnTiming").GetProperty("gpuMs").GetInt32());
        Assert.Equal(1200, context.GetProperty("turnTiming").GetProperty("totalMs").GetDouble());
    }

    [Fact]
    public void A_line_appended_by_another_process_is_published_through_the_watcher()
    {
        _f.Open(poll: TimeSpan.FromHours(1)).Start();

        KontaskFile.AppendLine(_f.FilePath, KontaskJson.SerializeLine(new Kontask { Id = "ext", Title = "From elsewhere" }));

        var ready = Assert.IsType<KontaskReady>(_f.NextEvent(TimeSpan.FromSeconds(3)));
        Assert.Equal("From elsewhere", ready.Kontask.Title);
    }

    [Fact]
    public void The_periodic_check_finds_appends_the_watcher_missed()
    {
        _f.Open(poll: TimeSpan.FromMilliseconds(200));
        _f.Store.Start();
        var watcherField = typeof(KontaskStore).GetField("_watcher", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        ((FileSystemWatcher)watcherField.GetValue(_f.Store)!).EnableRaisingEvents = false;

        _f.WriteRaw(StoreFixture.Line("late", "missed by the watcher"));

        Assert.Equal("late", Assert.IsType<KontaskReady>(_f.NextEvent(TimeSpan.FromSeconds(3))).Kontask.Id);
    }

    [Fact]
    public void Query_searches_title_description_and_tags_and_filters_exactly()
    {
        var t = DateTimeOffset.Parse("2026-11-03T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        _f.Store.Start();
        _f.Store.Append(new Kontask { Id = "1", Title = "Fix build", Status = "pending", Type = "bug", Scope = "web", Tags = ["ci"], CreatedAt = t });
        _f.Store.Append(new Kontask { Id = "2", Title = "Deploy", Description = "after the build is green", Status = "completed", Type = "task", Scope = "ops", CreatedAt = t.AddHours(1) });
        _f.Store.Append(new Kontask { Id = "3", Title = "Refactor", Status = "pending", Type = "task", Scope = "web", Tags = ["Build-System"], CreatedAt = t.AddHours(2) });

        Assert.Equal(["3", "2", "1"], _f.Store.Query(new KontaskQuery(Search: "BUILD")).Items.Select(k => k.Id));
        Assert.Equal(["3", "1"], _f.Store.Query(new KontaskQuery(Status: "pending")).Items.Select(k => k.Id));
        Assert.Equal(["3"], _f.Store.Query(new KontaskQuery(Type: "task", Scope: "web")).Items.Select(k => k.Id));
        Assert.Equal(["3"], _f.Store.Query(new KontaskQuery(Tag: "build-system")).Items.Select(k => k.Id));
        var page = _f.Store.Query(new KontaskQuery(Skip: 1, Take: 1));
        Assert.Equal(3, page.Total);
        Assert.Equal(["2"], page.Items.Select(k => k.Id));
        var facets = _f.Store.Facets();
        Assert.Equal(["completed", "pending"], facets.Statuses);
        Assert.Equal(["Build-System", "ci"], facets.Tags);
    }

    [Fact]
    public void The_filter_values_follow_updates_a_value_no_kontask_has_any_more_goes()
    {
        _f.Store.Start();
        _f.Store.Append(new Kontask { Id = "a", Title = "A", Status = "pending", Tags = ["ci", "CI"] });
        _f.Store.Append(new Kontask { Id = "b", Title = "B", Status = "ready", Tags = ["ci"] });
        Assert.Equal(["pending", "ready"], _f.Store.Facets().Statuses);
        Assert.Equal(["ci"], _f.Store.Facets().Tags);

        _f.Store.Append(new Kontask { Id = "a", Title = "A", Status = "completed", Tags = ["docs"] });

        Assert.Equal(["completed", "ready"], _f.Store.Facets().Statuses);
        Assert.Equal(["ci", "docs"], _f.Store.Facets().Tags);
        File.WriteAllText(_f.FilePath, "");
        _f.Store.CatchUp();
        Assert.Empty(_f.Store.Facets().Statuses);
    }

    [Fact]
    public void Indexing_checks_the_output_and_choices_it_does_not_keep()
    {
        _f.WriteRaw(StoreFixture.Line("ok", "fine", ",\"context\":{\"output\":\"<p>kept in the file</p>\",\"choices\":[{\"label\":\"Go\",\"value\":\"go\"}]}")
            + StoreFixture.Line("bad-output", "wrong", ",\"context\":{\"output\":5}")
            + StoreFixture.Line("bad-choice", "wrong", ",\"context\":{\"choices\":[{\"label\":7}]}"));

        _f.Store.Start();

        Assert.Equal(["ok"], _f.Store.Query(new KontaskQuery()).Items.Select(k => k.Id));
        Assert.Equal(1, _f.Store.FindSummary("ok")!.ChoiceCount);
        Assert.Equal("<p>kept in the file</p>", _f.Store.Get("ok")!.Context!.Output);
        Assert.Equal(2, _f.Log.Warnings.Count());
        Assert.Contains("line 2", _f.Log.Warnings.First(), StringComparison.Ordinal);
    }
}
