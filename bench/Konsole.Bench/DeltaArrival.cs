namespace Konsole.Bench;

/// <summary>A delta as a receiver saw it: when it arrived (Unix microseconds) and how long after it was written (ms).</summary>
internal readonly record struct DeltaArrival(long ArrivedMicros, double LatencyMs);
