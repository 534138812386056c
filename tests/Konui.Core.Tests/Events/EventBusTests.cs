using System.Collections.Concurrent;
using Konui.Core.Events;
using Konui.Core.Kontasks;

namespace Konui.Core.Tests.Events;

public sealed class EventBusTests
{
    private static KontaskReady Ready(int n) => new(KontaskSummary.From(new Kontask { Id = $"k{n}", Title = $"#{n}" }, 0, 0, n));

    [Fact]
    public async Task A_slow_subscriber_blocks_neither_the_publisher_nor_the_others_and_is_resynced()
    {
        var bus = new EventBus();
        var release = new TaskCompletionSource();
        var slowSeen = new ConcurrentQueue<KontaskEvent>();
        var fastSeen = new ConcurrentQueue<KontaskEvent>();
        using var slow = bus.SubscribeKontasks(async e => { slowSeen.Enqueue(e); await release.Task; }, capacity: 10);
        using var fast = bus.SubscribeKontasks(e => { fastSeen.Enqueue(e); return Task.CompletedTask; });

        var publishing = Task.Run(() => { for (var i = 0; i < 100; i++) bus.Publish(Ready(i)); });
        await publishing.WaitAsync(TimeSpan.FromSeconds(2));
        await WaitUntil(() => fastSeen.Count == 100);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"k{i}"), fastSeen.Cast<KontaskReady>().Select(e => e.Kontask.Id));

        release.SetResult();
        await WaitUntil(() => slowSeen.OfType<KontasksReloaded>().Any());
        bus.Publish(Ready(500));
        await WaitUntil(() => slowSeen.LastOrDefault() is KontaskReady { Kontask.Id: "k500" });
        Assert.True(slowSeen.Count < 100, "the lagging events should have been replaced by one re-sync");
    }

    [Fact]
    public async Task A_failing_subscriber_keeps_receiving_and_disposal_stops_delivery()
    {
        var bus = new EventBus();
        var seen = new ConcurrentQueue<string>();
        var subscription = bus.SubscribeKontasks(e =>
        {
            var id = ((KontaskReady)e).Kontask.Id;
            seen.Enqueue(id);
            return id == "k1" ? throw new InvalidOperationException("boom") : Task.CompletedTask;
        });

        bus.Publish(Ready(1));
        bus.Publish(Ready(2));
        await WaitUntil(() => seen.Count == 2);
        subscription.Dispose();
        bus.Publish(Ready(3));
        await Task.Delay(100);
        Assert.Equal(["k1", "k2"], seen);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 5 s");
            await Task.Delay(10);
        }
    }
}
