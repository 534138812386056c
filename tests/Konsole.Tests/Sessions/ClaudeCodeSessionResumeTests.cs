using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Sessions;

/// <summary>A conversation konsole did not run (here: another konsole's, over other data) is found in Claude Code's store and goes on.</summary>
public sealed class ClaudeCodeSessionResumeTests
{
    [Fact]
    public async Task A_session_only_claude_codes_store_has_is_listed_and_a_turn_on_it_resumes_it_in_the_folder_it_was_had_in()
    {
        await using var first = await KonuiWithClaude.StartAsync();
        first.Model.SetScript(request => ModelReply.Text(request.LastUserText.Contains("remember", StringComparison.Ordinal) ? "You asked me to remember kiwi." : "Noted."));
        var (earlier, earlierEvents) = await first.RunAsync("Keep the word kiwi in mind");
        Assert.True(Assert.IsType<TurnEnd>(earlierEvents[^1]).Success);
        await WaitForTranscriptAsync(first.Home, earlier.SessionId, "kiwi");
        await first.Konui.StopAsync();

        var firstFolder = Path.Combine(first.Home, "work");
        var otherFolder = Directory.CreateDirectory(Path.Combine(first.Home, "elsewhere")).FullName;
        var settings = Konui.Testing.ClaudeCli.KonsoleSettings(first.Model.BaseUrl, first.Home, otherFolder, maxRetries: 0);
        await using var second = await KonuiProcess.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = new Uri(second.BaseUrl + "/"), Timeout = Timeout.InfiniteTimeSpan };
        var konsole = new KonsoleClient(http);

        Assert.Empty(await konsole.GetSessionsAsync());
        var listed = Assert.Single(await konsole.GetCliSessionsAsync());
        Assert.Equal(earlier.SessionId, listed.SessionId);
        Assert.Equal("Keep the word kiwi in mind", listed.FirstPrompt);
        Assert.Equal(1, listed.PromptCount);
        Assert.Equal(firstFolder, listed.WorkingDirectory);
        Assert.Empty(await konsole.GetSessionTurnsAsync(earlier.SessionId));

        var next = await konsole.StartTurnAsync(new TurnRequest("What did I ask you to remember?", earlier.SessionId));
        var events = new List<TurnEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var e in konsole.ReadEventsAsync(next.TurnId, cancellationToken: timeout.Token)) events.Add(e);

        var end = Assert.IsType<TurnEnd>(events[^1]);
        Assert.True(end.Success, end.Error);
        Assert.Equal("You asked me to remember kiwi.", string.Concat(events.OfType<TextDelta>().Select(d => d.Text)));
        Assert.DoesNotContain(events.OfType<TurnStatus>(), s => s.Status!.Contains("new one", StringComparison.Ordinal));
        var asked = first.Model.Requests[^1];
        Assert.Contains("Keep the word kiwi in mind", asked.RawJson, StringComparison.Ordinal);
        Assert.Contains(firstFolder, asked.SystemPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain(otherFolder, asked.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains(second.Output, l => l.Contains($"session {earlier.SessionId}, resuming it", StringComparison.Ordinal));

        Assert.Equal(earlier.SessionId, Assert.Single(await konsole.GetSessionsAsync()).SessionId);
        Assert.Empty(await konsole.GetCliSessionsAsync());
    }

    /// <summary>The CLI saves its transcript a moment after a turn.</summary>
    private static async Task WaitForTranscriptAsync(string home, string sessionId, string text)
    {
        var projects = Path.Combine(home, ".claude", "projects");
        for (var waited = 0; waited < 100; waited++)
        {
            if (Directory.Exists(projects) && Directory.EnumerateFiles(projects, sessionId + ".jsonl", SearchOption.AllDirectories)
                    .Any(path => File.ReadAllText(path).Contains(text, StringComparison.Ordinal))) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Claude Code did not save session {sessionId} within 10 s");
    }
}
