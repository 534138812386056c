namespace Konui.Core.Insights;

/// <summary>The turns of one day (or hour) on a chart: how long they took and what they used.</summary>
public sealed record TelemetryBucket(
    DateTime Start,
    int Turns,
    double AverageDurationMs,
    double AverageTtfeMs,
    long InputTokens,
    long OutputTokens,
    long CacheCreationTokens,
    long CacheReadTokens,
    double CostUsd);
