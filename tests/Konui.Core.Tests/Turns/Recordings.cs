using System.Text;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Turns;

/// <summary>The Claude Code CLI's stdout recordings in Fixtures/claude-cli, as copied next to the test assembly.</summary>
internal static class Recordings
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "claude-cli");

    /// <summary>Every recording, as a path relative to Fixtures/claude-cli with '/' (e.g. "v2.1.329/turn-simple.jsonl").</summary>
    public static IReadOnlyList<string> Names { get; } = Directory
        .EnumerateFiles(Root, "*.jsonl", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string> All => new(Names);

    public static string[] Lines(string name) => File.ReadAllLines(Path.Combine(Root, name), Encoding.UTF8);

    /// <summary>What one parser, as for one CLI process, makes of the whole recording, in order.</summary>
    public static List<TurnEvent> Parse(string name)
    {
        var parser = new StreamJsonParser();
        return Lines(name).SelectMany(parser.Parse).ToList();
    }
}
