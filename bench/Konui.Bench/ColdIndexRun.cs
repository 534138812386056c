namespace Konui.Bench;

/// <summary>What one fresh process measured while indexing the kontasks file, passed back as one JSON line.</summary>
internal sealed record ColdIndexRun(
    double ElapsedMs,
    double CpuMs,
    double ProcessCpuMs,
    int Count,
    double PeakMbBefore,
    double PeakMb,
    double ResidentMb,
    double ManagedHeapMb,
    int Gen0Collections,
    int Gen2Collections,
    double GcPauseMs);
