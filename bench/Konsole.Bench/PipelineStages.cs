using System.Diagnostics;
using System.Globalization;
using System.Text;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging.Abstractions;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// The throughput of each stage a CLI line goes through in konsole, in this process, one after the other on the same
/// lines: <see cref="StreamJsonParser"/>, <see cref="Turn.Append"/> (numbering, the turn log's write and flush, the
/// timing meter, waking readers), the SSE endpoint's framing, and the client's parse of an SSE data line.
/// </summary>
internal static class PipelineStages
{
    public static void Measure(int deltas)
    {
        var cli = new CliLines(Guid.NewGuid().ToString());
        var lines = new List<string> { cli.Init(), cli.Status(), cli.MessageStart("msg_bench"), cli.BlockStart() };
        for (var i = 1; i <= deltas; i++) lines.Add(cli.TextDelta(DeltaStamp.Word(i)));
        using var folder = new ScratchFolder("konsole-bench-stages");
        for (var round = 1; round <= 2; round++)
        {
            var parsed = Time("parse (StreamJsonParser)", round, lines.Count, () =>
            {
                var parser = new StreamJsonParser();
                return lines.SelectMany(parser.Parse).ToList();
            });
            var stamped = Time("turn log (Turn.Append)", round, parsed.Count, () =>
            {
                var turnId = $"turn_stage{round}";
                var turn = Turn.Begin(new TurnLog(Path.Combine(folder.Path, turnId + ".jsonl")), TimeProvider.System, NullLogger.Instance,
                    new TurnStart(turnId, Guid.NewGuid().ToString(), "req_stage", "stages", 0));
                foreach (var turnEvent in parsed) turn.Append(turnEvent);
                turn.TryEnd(true, null);
                return turn.EventsAfter(0, NullLogger.Instance);
            });
            var frames = Time("SSE framing (TurnEventJson.Serialize)", round, stamped.Count, () =>
                stamped.Select(e => new StringBuilder().Append("id: ").Append(e.Seq.ToString(CultureInfo.InvariantCulture))
                    .Append("\nevent: ").Append(TurnEventJson.TypeName(e)).Append("\ndata: ").Append(TurnEventJson.Serialize(e)).Append("\n\n").ToString())
                    .ToList());
            Time("client parse (TurnEventJson.Deserialize)", round, frames.Count, () =>
                frames.Select(f => TurnEventJson.Deserialize(f[(f.IndexOf("data: ", StringComparison.Ordinal) + 6)..^2])).ToList());
        }
    }

    private static T Time<T>(string stage, int round, int items, Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        var result = work();
        clock.Stop();
        if (round > 1)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  stage {stage,-42} {items,7:N0} in {clock.Elapsed.TotalMilliseconds,7:0.0} ms = {items / clock.Elapsed.TotalSeconds,10:N0}/s"));
        }
        return result;
    }
}
