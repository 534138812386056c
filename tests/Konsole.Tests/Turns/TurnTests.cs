using Konui.Core.Konsole;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging.Abstractions;

namespace Konsole.Tests.Turns;

public sealed class TurnTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("konsole-turn-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Turn NewTurn() => Turn.Begin(new TurnLog(Path.Combine(_directory, "turn.jsonl")), TimeProvider.System, NullLogger.Instance,
        new TurnStart("turn_1", "session", "req_1", "prompt", 0));

    [Fact]
    public void A_cli_line_json_cannot_write_back_is_kept_as_a_note_and_the_turn_goes_on()
    {
        var turn = NewTurn();
        var lone = Assert.IsType<RawEvent>(Assert.Single(new StreamJsonParser().Parse("""{"type":"mystery","text":"cut \ud83d"}""")));

        turn.Append(lone);
        turn.Append(new TextDelta("msg", 0, "after"));
        Assert.True(turn.TryEnd(true, null));

        var events = new TurnLog(Path.Combine(_directory, "turn.jsonl")).ReadAll(NullLogger.Instance);
        Assert.Equal(["turn_start", "raw", "text_delta", "turn_end"], events.Select(TurnEventJson.TypeName));
        Assert.Contains("could not store a line from Claude Code", ((RawEvent)events[1]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_turn_ends_exactly_once_whoever_tries_first()
    {
        var turn = NewTurn();

        var ends = Enumerable.Range(0, 8).AsParallel().Select(i => turn.TryEnd(i % 2 == 0, $"end {i}")).ToList();
        turn.Append(new TextDelta("msg", 0, "too late"));

        Assert.Single(ends, ended => ended);
        var events = turn.EventsAfter(0, NullLogger.Instance);
        Assert.Single(events, e => e.IsTerminal);
        Assert.IsType<TurnEnd>(events[^1]);
        Assert.DoesNotContain("isTerminal", TurnEventJson.Serialize(events[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_cut_off_mid_line_by_a_crash_is_closed_as_interrupted_with_a_readable_end()
    {
        var path = Path.Combine(_directory, "torn.jsonl");
        var start = new TurnStart("turn_torn", "session", "req_t", "prompt", 0) { Seq = 1, At = DateTimeOffset.UtcNow };
        File.WriteAllText(path, TurnEventJson.Serialize(start) + "\n" + TurnEventJson.Serialize(new TextDelta("m", 0, "half") { Seq = 2 })[..20]);

        var turn = Turn.Load(new TurnLog(path), TimeProvider.System, NullLogger.Instance)!;

        Assert.True(turn.IsEnded);
        Assert.Equal("interrupted: konsole restarted", turn.End!.Error);
        var events = new TurnLog(path).ReadAll(NullLogger.Instance);
        Assert.Equal(["turn_start", "turn_end"], events.Select(TurnEventJson.TypeName));
        Assert.Equal(turn.End.Seq, events[^1].Seq);
    }

    [Fact]
    public void A_turn_longer_than_the_tail_konsole_reads_at_start_keeps_its_init_result_end_and_last_seq()
    {
        var turn = NewTurn();
        turn.Append(new TurnInit("opus", [], [], "cli", "/work", "default", "2.1.197"));
        for (var i = 0; i < 2_000; i++) turn.Append(new TextDelta("msg", 0, $"word {i} "));
        turn.Append(Result("early"));
        turn.Append(new TextDelta("msg", 1, "after the result"));
        turn.Append(Result("last"));
        Assert.True(turn.TryEnd(true, null, 0.25));
        Assert.True(new FileInfo(Path.Combine(_directory, "turn.jsonl")).Length > 64 * 1024);

        var loaded = Turn.Load(new TurnLog(Path.Combine(_directory, "turn.jsonl")), TimeProvider.System, NullLogger.Instance)!;

        Assert.Equal("opus", loaded.Init?.Model);
        Assert.Equal("last", loaded.Result?.ResultText);
        Assert.Equal(0.25, loaded.End?.CostUsd);
        Assert.Equal(turn.LastSeq, loaded.LastSeq);
        Assert.Equal(TurnState.Ended, loaded.State);
    }

    [Fact]
    public void A_turn_cut_off_in_a_torn_line_is_closed_with_the_result_it_had()
    {
        var path = Path.Combine(_directory, "turn.jsonl");
        var turn = NewTurn();
        for (var i = 0; i < 2_000; i++) turn.Append(new TextDelta("msg", 0, $"word {i} "));
        turn.Append(Result("done"));
        var lastSeq = turn.LastSeq;
        File.AppendAllText(path, """{"type":"text_delta","seq":""");

        var loaded = Turn.Load(new TurnLog(path), TimeProvider.System, NullLogger.Instance)!;

        Assert.Equal("done", loaded.Result?.ResultText);
        Assert.Equal("interrupted: konsole restarted", loaded.End?.Error);
        Assert.Equal(lastSeq + 1, loaded.LastSeq);
    }

    private static TurnResult Result(string text) =>
        new("success", false, "completed", new TurnUsage(1, 2, 0, 0), 0.5, 10, 8, 1, text, "cli", [], null, null);
}
