using System.Collections.Concurrent;
using System.Text;
using Konui.Core.Events;
using Konui.Core.Kontasks;

namespace Konui.Core.Tests.Kontasks;

/// <summary>A kontasks.jsonl in a fresh folder, a store over it, and every event the store published.</summary>
public sealed class StoreFixture : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "konui-store-" + Guid.NewGuid().ToString("N"));
    public string FilePath => Path.Combine(Directory, "kontasks.jsonl");
    public EventBus Bus { get; } = new();
    public ListLogger<KontaskStore> Log { get; } = new();
    public BlockingCollection<KontaskEvent> Events { get; } = new();
    private readonly IDisposable _subscription;
    private KontaskStore? _store;

    public StoreFixture()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _subscription = Bus.SubscribeKontasks(e => { Events.Add(e); return Task.CompletedTask; });
    }

    public KontaskStore Store => _store ??= Open();

    public KontaskStore Open(TimeSpan? poll = null)
    {
        _store?.Dispose();
        _store = new KontaskStore(new KontaskStoreOptions(FilePath) { PollInterval = poll ?? TimeSpan.FromHours(1) }, Bus, Log);
        return _store;
    }

    public void WriteRaw(string text) => File.AppendAllText(FilePath, text, new UTF8Encoding(false));

    public static string Line(string id, string title, string? extra = null, DateTimeOffset? createdAt = null) =>
        $"{{\"id\":\"{id}\",\"title\":\"{title}\",\"createdAt\":\"{(createdAt ?? DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture)):O}\"{extra}}}\n";

    public KontaskEvent NextEvent(TimeSpan? within = null) =>
        Events.TryTake(out var e, within ?? TimeSpan.FromSeconds(5)) ? e : throw new TimeoutException("no kontask event arrived");

    public void Dispose()
    {
        _subscription.Dispose();
        _store?.Dispose();
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { }
    }
}
