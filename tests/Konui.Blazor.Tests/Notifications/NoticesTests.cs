using System.Collections.Concurrent;
using System.Text.Json;
using Konui.Blazor.Notifications;
using Konui.Core.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Notifications;

/// <summary>Notices are read from the turns' events on the bus, the same events every tab reads: what waits, what ended, what failed.</summary>
public sealed class NoticesTests : KonuiComponentTest
{
    private const string Session = "5f0c2a4e-9b1d-4c3e-8a7f-6e5d4c3b2a10";
    private const string Other = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    private readonly ConcurrentQueue<Notice> _noticed = new();
    private readonly Notices _notices;

    public NoticesTests()
    {
        _notices = Services.GetRequiredService<Notices>();
        _notices.Noticed += _noticed.Enqueue;
    }

    private void Publish(string sessionId, string turnId, long seq, TurnEvent turnEvent) =>
        Bus.PublishTurnEvent(sessionId, turnId, turnEvent with { Seq = seq, At = Now.AddSeconds(seq) });

    private static DecisionRequest Asks(string decisionId, string tool, string input, string? description = null) =>
        new(decisionId, "cli-" + decisionId, tool, null, JsonDocument.Parse(input).RootElement.Clone(), description, null, null, null, null, null);

    private static DecisionResult Decided(string decisionId) =>
        new(decisionId, DecisionOutcome.Allowed, DecisionResult.Allow, null, null, null, null, false, "a phone", null);

    private async Task<IReadOnlyList<Notice>> WaitForNoticesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_noticed.Count < count && DateTime.UtcNow < deadline) await Task.Delay(10);
        await Task.Delay(50);
        return [.. _noticed];
    }

    [Fact]
    public async Task A_decision_waits_until_it_is_decided_or_its_turn_ends_and_turn_ends_are_news_unless_stopped()
    {
        Publish(Session, "t1", 1, new TurnStart("t1", Session, "r1", "Run the tests\nand report", 0));
        Publish(Session, "t1", 2, Asks("dec_1", "Bash", """{"command":"npm test"}""", "Run the tests"));
        Publish(Other, "t2", 1, new TurnStart("t2", Other, "r2", "Write the notes", 0));
        Publish(Other, "t2", 2, Asks("dec_2", "Write", """{"file_path":"/work/notes.md","content":"..."}"""));
        Publish(Other, "t2", 3, Asks("dec_3", "mcp__github__create_issue", """{"title":"x"}""", "Create an issue"));

        var waiting = await WaitForNoticesAsync(3);
        Assert.Equal(
            [
                "DecisionWaiting dec_1 Waiting: Bash | npm test | /?session=" + Session + "#decision-dec_1",
                "DecisionWaiting dec_2 Waiting: Write | /work/notes.md | /?session=" + Other + "#decision-dec_2",
                "DecisionWaiting dec_3 Waiting: create_issue | Create an issue | /?session=" + Other + "#decision-dec_3",
            ], waiting.Select(Describe));
        Assert.Equal(["dec_1", "dec_2", "dec_3"], _notices.Waiting.Select(n => n.DecisionId));

        Publish(Session, "t1", 3, Decided("dec_1"));
        Publish(Session, "t1", 4, new TurnEnd(true, null, null));
        Publish(Other, "t2", 4, new TurnEnd(false, "Claude Code exited with 1", null));
        Publish(Other, "t3", 1, new TurnStart("t3", Other, "r3", "Another try", 0));
        Publish(Other, "t3", 2, new TurnEnd(false, "stopped by user", null));

        var all = await WaitForNoticesAsync(5);
        Assert.Equal(
            [
                "TurnEnded  Turn ended | Run the tests | /?session=" + Session,
                "TurnFailed  Turn failed | Write the notes: Claude Code exited with 1 | /?session=" + Other,
            ], all.Skip(3).Select(Describe));
        Assert.Empty(_notices.Waiting);
        Assert.Equal("konui-turn-t1", all[3].Tag);
        Assert.Equal("konui-decision-dec_1", all[0].Tag);
    }

    private static string Describe(Notice n) => $"{n.Kind} {n.DecisionId} {n.Title} | {n.Body} | {n.Url}";
}
