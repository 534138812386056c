using Konui.Blazor.Console;
using Konui.Blazor.Replicas;
using Konui.Core.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Konui.Blazor.Tests.Replicas;

/// <summary>The other replicas' konsoles become machines of this Konui while they are heard from, and stop being ones when they fall silent.</summary>
public sealed class ReplicaMachinesTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly FakeMachines _machines = new(new FakeKonsole());
    private readonly RedisStatus _status = new() { Enabled = true, ReplicaName = "b" };
    private readonly Konsoles _konsoles;
    private readonly ReplicaMachines _replicas;

    public ReplicaMachinesTests()
    {
        _konsoles = new Konsoles([new KonsoleHost { Name = Konsoles.LocalName, Url = "http://konsole.test/" }, _machines.Add("build", new FakeKonsole())],
            _machines, new EventBus(), new FakeTimeProvider(Now), NullLoggerFactory.Instance);
        _replicas = new ReplicaMachines(_status, _konsoles, "shared-token", NullLogger<ReplicaMachines>.Instance);
    }

    public void Dispose()
    {
        _replicas.Dispose();
        _konsoles.Dispose();
    }

    [Fact]
    public async Task A_replica_heard_from_is_a_machine_until_it_falls_silent_and_one_named_as_a_configured_konsole_is_not_added()
    {
        await _replicas.StartAsync(CancellationToken.None);

        var at = _machines.Add("a", new FakeKonsole()).Url;
        var moved = _machines.Add("a-moved", new FakeKonsole()).Url;
        _status.Heard([new ReplicaKonsole("a", at, Now), new ReplicaKonsole("build", "http://10.0.0.12:8666", Now)]);
        await WaitForAsync(() => _konsoles.Find("a") is not null);
        Assert.Equal(["local", "build", "a"], _konsoles.All.Select(m => m.Name));
        await _konsoles.Find("a")!.Client.GetStatusAsync();
        Assert.Contains(("a.test", "Bearer shared-token"), _machines.Asked);

        _status.Heard([new ReplicaKonsole("a", moved, Now)]);
        await WaitForAsync(() =>
        {
            _machines.Asked.Clear();
            _konsoles.Find("a")?.Client.GetStatusAsync().GetAwaiter().GetResult();
            return _machines.Asked.Contains(("a-moved.test", "Bearer shared-token"));
        });
        Assert.Equal(["local", "build", "a"], _konsoles.All.Select(m => m.Name));

        _status.Heard([]);
        await WaitForAsync(() => _konsoles.Find("a") is null);
        Assert.Equal(["local", "build"], _konsoles.All.Select(m => m.Name));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "the machines did not follow the replicas heard from");
            await Task.Delay(10);
        }
    }
}
