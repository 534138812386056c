using System.Globalization;
using System.Text;
using Konui.Core;
using Konui.Core.Kontasks;
using Konui.Testing;

namespace Konui.Bench;

/// <summary>
/// Makes realistic kontasks of about 2.4 KB as a JSON line: a title, a description, 2 to 4 tags, a status, a type and
/// a scope, about 1.3 KB of HTML output with a list and a table, 2 or 3 choices and the turn's timing. Every run
/// makes the same kontasks. Every 100th kontask has <see cref="RareWord"/> in its title, so searching for it
/// matches 1% of them.
/// </summary>
internal sealed class KontaskGenerator
{
    public const string RareWord = "kerberos";

    private static readonly string[] Words =
    [
        "build", "login", "test", "flaky", "deploy", "cache", "index", "query", "render", "layout", "session",
        "token", "stream", "turn", "console", "store", "watcher", "retry", "timeout", "latency", "memory", "parser",
        "schema", "migration", "endpoint", "handler", "queue", "worker", "config", "release", "branch", "commit",
        "review", "refactor", "upgrade", "package", "warning", "error", "metric", "dashboard", "filter", "search",
    ];

    private static readonly string[] Tags =
    [
        "ci", "auth", "perf", "ui", "docs", "infra", "bug", "feature", "tests", "deps", "security", "api", "mcp",
        "blazor", "cli", "db", "logging", "release", "refactor", "ux", "a11y", "build-system", "kontasks", "konsole",
    ];

    private static readonly string[] Statuses = ["ready", "pending", "in_progress", "completed", "failed"];
    private static readonly string[] Types = ["report", "question", "plan", "result", "error"];
    private static readonly string[] Scopes = ["konui", "konsole", "infra", "docs", "web", "ops"];

    private const int Seed = 42;

    private readonly Random _random = new(Seed);
    private readonly GeneratorClock _clock = new(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero));
    private int _made;

    public Kontask Next()
    {
        var number = _made++;
        _clock.Now = _clock.Now.AddSeconds(_random.Next(30, 600));
        var requestedAt = _clock.Now.AddSeconds(-_random.Next(5, 120));
        var requestId = "req_" + Guid.CreateVersion7(requestedAt).ToString("N")[..20];
        var title = Capitalized(Sentence(_random.Next(4, 9)));
        if (number % 100 == 0) title += " with " + RareWord;
        var totalMs = _random.Next(2_000, 180_000);
        var ttfeMs = _random.Next(300, 4_000);
        var thinkingMs = _random.Next(0, totalMs / 2);
        var toolMs = _random.Next(0, Math.Max(1, totalMs - thinkingMs - ttfeMs));
        return new Kontask
        {
            Id = Ids.Kontask(_clock),
            Type = Pick(Types),
            Status = Pick(Statuses),
            Title = title,
            Description = Capitalized(Sentence(_random.Next(18, 30))) + ". " + Capitalized(Sentence(_random.Next(8, 14))) + ".",
            Context = new KontaskContext
            {
                Output = Output(),
                RequestedAt = requestedAt,
                RequestId = requestId,
                Choices = Choices(),
                TurnTiming = new TurnTiming
                {
                    TotalMs = totalMs,
                    TtfeMs = ttfeMs,
                    ThinkingMs = thinkingMs,
                    ToolExecutionMs = toolMs,
                    ToolCallCount = _random.Next(0, 25),
                    ThinkingPct = Math.Round(100.0 * thinkingMs / totalMs, 1),
                    ToolsPct = Math.Round(100.0 * toolMs / totalMs, 1),
                    TtfePct = Math.Round(100.0 * ttfeMs / totalMs, 1),
                },
            },
            CreatedBy = "claude-code",
            CreatedAt = _clock.Now,
            UpdatedAt = _clock.Now,
            RequestId = requestId,
            Scope = Pick(Scopes),
            Tags = Enumerable.Range(0, _random.Next(2, 5)).Select(_ => Pick(Tags)).Distinct().ToList(),
        };
    }

    /// <summary>Writes <paramref name="count"/> kontasks, one JSON line each, and returns the file's size in bytes.</summary>
    public long WriteFile(string path, int count)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 20);
        for (var i = 0; i < count; i++)
        {
            file.Write(KontaskJson.SerializeLine(Next()));
            file.WriteByte((byte)'\n');
        }
        return file.Length;
    }

    private string Output()
    {
        var html = new StringBuilder(1_700);
        html.Append("<h2>").Append(Capitalized(Sentence(5))).Append("</h2>\n<p>")
            .Append(Capitalized(Sentence(_random.Next(30, 40)))).Append(".</p>\n<ul>\n");
        for (var i = 0; i < 4; i++) html.Append("  <li><code>").Append(Pick(Words)).Append("</code> ").Append(Sentence(8)).Append("</li>\n");
        html.Append("</ul>\n<table>\n  <tr><th>Step</th><th>Result</th><th>Time</th></tr>\n");
        for (var i = 0; i < 5; i++)
        {
            html.Append("  <tr><td>").Append(Pick(Words)).Append(' ').Append(Pick(Words)).Append("</td><td>")
                .Append(Pick(Statuses)).Append("</td><td>")
                .Append(_random.Next(10, 9_000).ToString(CultureInfo.InvariantCulture)).Append(" ms</td></tr>\n");
        }
        html.Append("</table>\n<p>").Append(Capitalized(Sentence(_random.Next(25, 35)))).Append(".</p>");
        return html.ToString();
    }

    private List<KontaskChoice> Choices()
    {
        var choices = new List<KontaskChoice>
        {
            new() { Label = "Fix it", Value = "Fix the " + Sentence(3) + " now", Primary = true },
            new() { Label = "Explain more", Value = "Explain the " + Sentence(3) + " in detail" },
        };
        if (_random.Next(2) == 0) choices.Add(new KontaskChoice { Label = "Ignore", Value = "Leave it as it is" });
        return choices;
    }

    private string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Pick(Words)));

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private string Pick(string[] values) => values[_random.Next(values.Length)];
}
