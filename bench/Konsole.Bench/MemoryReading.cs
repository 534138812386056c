namespace Konsole.Bench;

/// <summary>A process's memory after a full, blocking garbage collection: the GC heap and the working set.</summary>
internal sealed record MemoryReading(long HeapBytes, long WorkingSetBytes);
