using System.Runtime;

namespace Konui.Core.Kontasks;

/// <summary>
/// A stretch of allocations during which the runtime collects no garbage (<see cref="GC.TryStartNoGCRegion(long)"/>),
/// for reading data that all lives on: a collection in the middle of it finds nothing to free and only copies what was
/// read so far, pausing every thread of Konui's start meanwhile. When the runtime cannot set that much aside, or the
/// allocations go past it, collections go on as usual.
/// </summary>
internal sealed class NoCollectionRegion : IDisposable
{
    private readonly bool _started;

    private NoCollectionRegion(bool started) => _started = started;

    public static NoCollectionRegion Begin(long bytes)
    {
        try
        {
            return new NoCollectionRegion(GC.TryStartNoGCRegion(bytes));
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return new NoCollectionRegion(false);
        }
    }

    public void Dispose()
    {
        if (!_started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // A collection ended the region meanwhile: collections already go on as usual.
        }
    }
}
