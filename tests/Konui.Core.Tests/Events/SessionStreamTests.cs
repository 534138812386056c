using System.Collections.Concurrent;
using Konui.Core.Events;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Events;

/// <summary>
/// A console session's events through the bus, as a dashboard tab sees them: numbered in arrival order, the kept
/// history first and then the live ones, each once, in order, also while turns publish concurrently.
/// </summary>
public sealed class SessionStreamTests
{
    private const string Session = "session-1";

    private static TurnEvent Event(string turnId, long turnSeq) => turnSeq == 1
        ? new TurnStart(turnId, Session, "req-" + turnId, "prompt of " + turnId, 0) { Seq = 1 }
        : new TextDelta("msg-" + turnId, 0, $"{turnId}#{turnSeq}") { Seq = turnSeq };

    private static void PublishTurn(EventBus bus, string turnId, long fromSeq, long toSeq)
    {
        for (var seq = fromSeq; seq <= toSeq; seq++) bus.PublishTurnEvent(Session, turnId, Event(turnId, seq));
    }

    private static IDisposable Collect(EventBus bus, long afterSeq, ConcurrentQueue<ConsoleEvent> seen, int capacity = EventBus.SubscriberCapacity) =>
        bus.SubscribeSession(Session, afterSeq, e =>
        {
            seen.Enqueue(e);
            return Task.CompletedTask;
        }, capacity);

    private static List<string> Describe(IEnumerable<ConsoleEvent> events) => events.Select(e => $"{e.Seq}:{e.TurnId}#{e.Event.Seq}").ToList();

    [Fact]
    public async Task Events_are_numbered_in_the_order_the_session_saw_them_across_its_turns()
    {
        var bus = new EventBus();
        var seen = new ConcurrentQueue<ConsoleEvent>();
        using var subscription = Collect(bus, 0, seen);

        PublishTurn(bus, "t1", 1, 3);
        var other = bus.PublishTurnEvent("session-2", "elsewhere", Event("elsewhere", 1));
        PublishTurn(bus, "t2", 1, 2);
        var last = bus.PublishTurnEvent(Session, "t3", Event("t3", 1));

        await WaitUntil(() => seen.Count == 6);
        Assert.Equal(["1:t1#1", "2:t1#2", "3:t1#3", "4:t2#1", "5:t2#2", "6:t3#1"], Describe(seen));
        Assert.All(seen, e => Assert.Equal(Session, e.SessionId));
        Assert.Equal(6, last?.Seq);
        Assert.Equal(1, other?.Seq);
    }

    [Fact]
    public async Task A_reader_of_every_session_gets_each_new_event_once_in_its_sessions_order_and_keeps_no_ended_turn_alive()
    {
        var bus = new EventBus();
        PublishTurn(bus, "before", 1, 2);
        var seen = new ConcurrentQueue<ConsoleEvent>();
        using var all = bus.SubscribeTurns(e =>
        {
            seen.Enqueue(e);
            return Task.CompletedTask;
        });

        var sessions = Enumerable.Range(1, 4).Select(n => Task.Run(() =>
        {
            for (var seq = 1; seq <= 50; seq++) bus.PublishTurnEvent($"s{n}", $"t{n}", Event($"t{n}", seq));
            bus.PublishTurnEvent($"s{n}", $"t{n}", Event($"t{n}", 50));
        })).ToArray();
        await Task.WhenAll(sessions);
        PublishTurn(bus, "after", 1, 1);
        bus.PublishTurnEvent(Session, "after", new TurnEnd(true, null, null) { Seq = 2 });

        await WaitUntil(() => seen.Count == 202);
        Assert.DoesNotContain(seen, e => e.TurnId == "before");
        foreach (var session in seen.GroupBy(e => e.SessionId).Where(g => g.Key != Session))
        {
            Assert.Equal(Enumerable.Range(1, 50).Select(n => (long)n), session.Select(e => e.Seq));
        }
        Assert.Equal(["3:after#1", "4:after#2"], Describe(seen.Where(e => e.TurnId == "after")));
        var later = new ConcurrentQueue<ConsoleEvent>();
        using var tab = Collect(bus, 0, later);
        await WaitUntil(() => later.Count == 2);
        await Task.Delay(100);
        Assert.Equal(["1:before#1", "2:before#2"], Describe(later));
    }

    [Fact]
    public async Task Subscribing_after_a_sequence_number_gives_exactly_the_later_events_then_the_live_ones()
    {
        var bus = new EventBus();
        PublishTurn(bus, "t1", 1, 4);
        PublishTurn(bus, "t2", 1, 6);
        var seen = new ConcurrentQueue<ConsoleEvent>();

        using var subscription = Collect(bus, afterSeq: 7, seen);
        await WaitUntil(() => seen.Count == 3);
        PublishTurn(bus, "t2", 7, 8);
        PublishTurn(bus, "t3", 1, 1);

        await WaitUntil(() => seen.Count == 6);
        await Task.Delay(50);
        Assert.Equal(["8:t2#4", "9:t2#5", "10:t2#6", "11:t2#7", "12:t2#8", "13:t3#1"], Describe(seen));
    }

    [Fact]
    public async Task Subscribers_joining_while_turns_publish_concurrently_each_get_every_event_once_in_order()
    {
        // A lost or reordered event needs the publishers to interleave just so: several rounds make that likely.
        for (var round = 0; round < 8; round++) await PublishConcurrentlyAndCheckEverySubscriber(turns: 8, eventsPerTurn: 1000, subscribers: 8);
    }

    private static async Task PublishConcurrentlyAndCheckEverySubscriber(int turns, int eventsPerTurn, int subscribers)
    {
        var bus = new EventBus();
        var seenBy = new List<ConcurrentQueue<ConsoleEvent>>();
        var subscriptions = new List<IDisposable>();
        using var start = new Barrier(turns + 1);
        var publishers = Enumerable.Range(1, turns).Select(n => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            PublishTurn(bus, $"t{n}", 1, eventsPerTurn);
        }, TaskCreationOptions.LongRunning)).ToList();
        start.SignalAndWait();
        try
        {
            for (var i = 0; i < subscribers; i++)
            {
                var seen = new ConcurrentQueue<ConsoleEvent>();
                seenBy.Add(seen);
                subscriptions.Add(Collect(bus, 0, seen));
                Thread.Sleep(1);
            }
            await Task.WhenAll(publishers).WaitAsync(TimeSpan.FromSeconds(5));
            var total = turns * eventsPerTurn;
            await WaitUntil(() => seenBy.All(s => s.Count >= total), () => $"seen {string.Join(", ", seenBy.Select(s => s.Count))} of {total}");
            await Task.Delay(20);
            foreach (var seen in seenBy)
            {
                AssertOneToN(seen.Select(e => e.Seq), total, "the bus's numbering");
                foreach (var turn in seen.GroupBy(e => e.TurnId)) AssertOneToN(turn.Select(e => e.Event.Seq), eventsPerTurn, $"turn {turn.Key}");
            }
            var first = seenBy[0].Select(e => (e.Seq, e.TurnId, e.Event.Seq)).ToList();
            Assert.All(seenBy, seen => Assert.True(first.SequenceEqual(seen.Select(e => (e.Seq, e.TurnId, e.Event.Seq))), "subscribers saw different sequences"));
        }
        finally
        {
            foreach (var subscription in subscriptions) subscription.Dispose();
        }
    }

    [Fact]
    public async Task Events_of_a_turn_the_bus_has_seen_already_are_dropped_when_a_reader_replays_them()
    {
        var bus = new EventBus();
        var seen = new ConcurrentQueue<ConsoleEvent>();
        using var subscription = Collect(bus, 0, seen);
        PublishTurn(bus, "t1", 1, 5);

        var replayed = Enumerable.Range(1, 5).Select(n => bus.PublishTurnEvent(Session, "t1", Event("t1", n))).ToList();
        PublishTurn(bus, "t1", 3, 7);

        Assert.All(replayed, Assert.Null);
        await WaitUntil(() => seen.Count == 7);
        await Task.Delay(50);
        Assert.Equal(["1:t1#1", "2:t1#2", "3:t1#3", "4:t1#4", "5:t1#5", "6:t1#6", "7:t1#7"], Describe(seen));
    }

    [Fact]
    public async Task A_blocked_subscriber_slows_neither_the_publisher_nor_a_fast_one_and_later_gets_what_it_missed_once()
    {
        const int count = 500;
        var bus = new EventBus();
        var release = new TaskCompletionSource();
        var slowSeen = new ConcurrentQueue<ConsoleEvent>();
        var fastSeen = new ConcurrentQueue<ConsoleEvent>();
        using var slow = bus.SubscribeSession(Session, 0, async e =>
        {
            slowSeen.Enqueue(e);
            await release.Task;
        }, capacity: 8);
        using var fast = Collect(bus, 0, fastSeen);

        // The slow subscriber is blocked until released below: publishing finishes only if it does not wait for it.
        await Task.Run(() => PublishTurn(bus, "t1", 1, count)).WaitAsync(TimeSpan.FromSeconds(5));
        await WaitUntil(() => fastSeen.Count == count);

        Assert.Equal(Enumerable.Range(1, count).Select(n => (long)n), fastSeen.Select(e => e.Seq));
        Assert.Single(slowSeen);

        release.SetResult();
        await WaitUntil(() => slowSeen.Count >= count);
        PublishTurn(bus, "t1", count + 1, count + 1);
        await WaitUntil(() => slowSeen.Count >= count + 1);
        await Task.Delay(50);
        Assert.Equal(Enumerable.Range(1, count + 1).Select(n => (long)n), slowSeen.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_turn_grown_past_the_kept_events_is_not_replayed_to_new_subscribers_who_get_its_later_events_live()
    {
        var bus = new EventBus();
        PublishTurn(bus, "small", 1, 3);
        PublishTurn(bus, "big", 1, EventBus.EventsKeptPerTurn + 1);
        var seen = new ConcurrentQueue<ConsoleEvent>();

        using var subscription = Collect(bus, 0, seen);
        await WaitUntil(() => seen.Count == 3);
        PublishTurn(bus, "big", EventBus.EventsKeptPerTurn + 2, EventBus.EventsKeptPerTurn + 3);
        await WaitUntil(() => seen.Count == 5);
        await Task.Delay(50);

        var busSeq = 3 + EventBus.EventsKeptPerTurn + 1;
        Assert.Equal(
            ["1:small#1", "2:small#2", "3:small#3", $"{busSeq + 1}:big#{EventBus.EventsKeptPerTurn + 2}", $"{busSeq + 2}:big#{EventBus.EventsKeptPerTurn + 3}"],
            Describe(seen));
    }

    [Fact]
    public async Task Only_the_newest_turns_are_kept_for_new_subscribers()
    {
        var bus = new EventBus();
        for (var n = 1; n <= EventBus.TurnsKeptPerSession + 1; n++) PublishTurn(bus, $"t{n}", 1, 2);
        var seen = new ConcurrentQueue<ConsoleEvent>();

        using var subscription = Collect(bus, 0, seen);
        await WaitUntil(() => seen.Count == 2 * EventBus.TurnsKeptPerSession);
        await Task.Delay(50);

        Assert.Equal(Enumerable.Range(2, EventBus.TurnsKeptPerSession).Select(n => $"t{n}"), seen.Select(e => e.TurnId).Distinct());
        Assert.Equal(3, seen.First().Seq);
    }

    [Fact]
    public async Task With_no_tab_open_an_ended_turn_is_let_go_while_a_running_one_is_kept_for_the_next_tab()
    {
        var bus = new EventBus();
        PublishTurn(bus, "done", 1, 3);
        bus.PublishTurnEvent(Session, "done", new TurnEnd(true, null, null, null) { Seq = 4 });
        PublishTurn(bus, "running", 1, 2);
        var seen = new ConcurrentQueue<ConsoleEvent>();

        using var subscription = Collect(bus, 0, seen);
        await WaitUntil(() => seen.Count == 2);
        await Task.Delay(50);

        Assert.Equal(["5:running#1", "6:running#2"], Describe(seen));
    }

    [Fact]
    public async Task A_turn_ending_while_a_tab_is_open_is_kept_for_a_second_tab_until_the_last_tab_closes()
    {
        var bus = new EventBus();
        var first = Collect(bus, 0, new ConcurrentQueue<ConsoleEvent>());
        PublishTurn(bus, "t1", 1, 2);
        bus.PublishTurnEvent(Session, "t1", new TurnEnd(true, null, null, null) { Seq = 3 });
        var second = new ConcurrentQueue<ConsoleEvent>();

        using (Collect(bus, 0, second))
        {
            await WaitUntil(() => second.Count == 3);
            first.Dispose();
        }
        var third = new ConcurrentQueue<ConsoleEvent>();
        using var last = Collect(bus, 0, third);
        PublishTurn(bus, "t2", 1, 1);
        await WaitUntil(() => third.Count == 1);
        await Task.Delay(50);

        Assert.Equal(["1:t1#1", "2:t1#2", "3:t1#3"], Describe(second));
        Assert.Equal(["4:t2#1"], Describe(third));
    }

    /// <summary>Exactly 1, 2, ... n: nothing missing, nothing twice, nothing out of order (checked fast over thousands).</summary>
    private static void AssertOneToN(IEnumerable<long> seqs, int n, string what)
    {
        var list = seqs.ToList();
        var wrong = list.Select((seq, i) => (seq, i)).FirstOrDefault(x => x.seq != x.i + 1);
        Assert.True(list.Count == n && wrong == default,
            $"{what}: {list.Count} events of {n}" + (wrong == default ? "" : $", event {wrong.i + 1} has seq {wrong.seq}"));
    }

    private static Task WaitUntil(Func<bool> condition) => WaitUntil(condition, () => "");

    private static async Task WaitUntil(Func<bool> condition, Func<string> state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met in 5 s {state()}".TrimEnd());
            await Task.Delay(10);
        }
    }
}
