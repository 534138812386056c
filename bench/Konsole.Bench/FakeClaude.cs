using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Konsole.Bench;

/// <summary>
/// A stand-in for the Claude Code CLI, so the benchmarks measure konsole and Konui rather than the CLI or a model. Like
/// `claude --input-format stream-json --output-format stream-json`, it lives across turns and reads one user line per
/// turn from stdin; for each it prints system/init and status, the stream events of one text block whose deltas are
/// <see cref="DeltaStamp"/> words (paced by the prompt's <see cref="DeltaPlan"/>, each stamped as it is written), then
/// the assistant line and the result, in the shapes of <see cref="CliLines"/>. The text is written as it appears in
/// JSON: its paragraph breaks are already escaped. A control request (konsole's spare CLI asks mcp_status) gets a
/// success answer, as the CLI gives.
/// </summary>
internal static class FakeClaude
{
    public const string Command = "fake-claude";

    /// <summary>Like a model's answer, the text has paragraphs: a blank line after every 50th word.</summary>
    private const int WordsPerParagraph = 50;

    /// <summary>
    /// Writes an executable script that runs this stand-in (konsole's ClaudePath takes one program, no arguments) and
    /// returns its path. The script drops the memory probe's variables, which the CLI would inherit from Konui.
    /// </summary>
    public static string WriteLauncher(string folder)
    {
        var path = Path.Combine(folder, "fake-claude");
        var dll = typeof(FakeClaude).Assembly.Location;
        File.WriteAllText(path, $"#!/bin/sh\nunset {MemoryProbe.HookVariable} {MemoryProbe.SocketVariable}\nexec dotnet \"{dll}\" {Command} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public static int Run(string[] arguments)
    {
        if (arguments.Contains("--version"))
        {
            Console.WriteLine("2.1.197 (Claude Code)");
            return 0;
        }
        var sessionId = arguments.Select(a => a.StartsWith("--session-id=", StringComparison.Ordinal) ? a[13..]
                : a.StartsWith("--resume=", StringComparison.Ordinal) ? a[9..] : null)
            .FirstOrDefault(id => id is not null) ?? Guid.NewGuid().ToString();
        var lines = new CliLines(sessionId);
        using var stdout = new BufferedStream(Console.OpenStandardOutput(), 64 * 1024);
        using var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        var turn = 0;
        double totalCostUsd = 0;
        while (stdin.ReadLine() is { } line)
        {
            if (ControlRequestId(line) is { } requestId)
            {
                stdout.Write(Encoding.UTF8.GetBytes(CliLines.ControlResponse(requestId) + "\n"));
                stdout.Flush();
                continue;
            }
            if (DecisionPlan.FromUserLine(line) is { } decisions)
            {
                totalCostUsd += 0.00062;
                AskAll(decisions, ++turn, lines, stdout, stdin, totalCostUsd);
                continue;
            }
            if (DeltaPlan.FromUserLine(line) is not { } plan) continue;
            var clock = Stopwatch.StartNew();
            var paced = plan.PerSecond > 0;
            var messageId = $"msg_bench_{++turn}";
            void Write(string output)
            {
                stdout.Write(Encoding.UTF8.GetBytes(output));
                stdout.WriteByte((byte)'\n');
                if (paced) stdout.Flush();
            }
            Write(lines.Init());
            Write(lines.Status());
            Write(lines.MessageStart(messageId));
            Write(lines.BlockStart());
            var text = new StringBuilder();
            Pacer.Run(plan.Deltas, plan.PerSecond, seq =>
            {
                var word = DeltaStamp.Word(seq) + (seq % WordsPerParagraph == 0 ? "\\n\\n" : "");
                text.Append(word);
                Write(lines.TextDelta(word));
            });
            Write(lines.Assistant(messageId, text.ToString()));
            Write(lines.BlockStop());
            Write(lines.MessageDelta(plan.Deltas));
            Write(lines.MessageStop());
            totalCostUsd += 0.00062;
            Write(lines.Result(clock.ElapsedMilliseconds, plan.Deltas, totalCostUsd, text.ToString()));
            stdout.Flush();
        }
        return 0;
    }

    /// <summary>
    /// One turn of <see cref="DecisionPlan.Rounds"/> Bash calls, each asked about with a stamped can_use_tool request
    /// and run once its control_response is read (the moment it was read goes to <see cref="DecisionPlan.AnswersFile"/>).
    /// </summary>
    private static void AskAll(DecisionPlan plan, int turn, CliLines lines, Stream stdout, StreamReader stdin, double totalCostUsd)
    {
        var clock = Stopwatch.StartNew();
        using var answers = new StreamWriter(DecisionPlan.AnswersFile, append: true) { AutoFlush = true };
        void Write(string output)
        {
            stdout.Write(Encoding.UTF8.GetBytes(output));
            stdout.WriteByte((byte)'\n');
            stdout.Flush();
        }
        Write(lines.Init());
        Write(lines.Status());
        for (var round = 1; round <= plan.Rounds; round++)
        {
            var toolUseId = $"toolu_bench_{turn}_{round}";
            var requestId = $"bench_{turn}_{round}";
            Write(lines.BashCall($"msg_bench_{turn}_{round}", toolUseId, $"echo round {round}"));
            Write(CliLines.CanUseTool(requestId, toolUseId, "echo " + DeltaStamp.Word(round).Trim()));
            while (stdin.ReadLine() is { } answer)
            {
                if (!answer.Contains("\"control_response\"", StringComparison.Ordinal) || !answer.Contains(requestId, StringComparison.Ordinal)) continue;
                answers.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round} {DeltaStamp.NowMicros()}"));
                break;
            }
            Write(lines.ToolResult(toolUseId, $"round {round}"));
        }
        var messageId = $"msg_bench_{turn}_done";
        Write(lines.Assistant(messageId, "Done."));
        Write(lines.Result(clock.ElapsedMilliseconds, 1, totalCostUsd, "Done."));
    }

    private static string? ControlRequestId(string line)
    {
        using var document = System.Text.Json.JsonDocument.Parse(line);
        var root = document.RootElement;
        return root.TryGetProperty("type", out var type) && type.GetString() == "control_request" && root.TryGetProperty("request_id", out var id) ? id.GetString() : null;
    }
}
