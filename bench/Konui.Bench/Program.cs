using Konui.Bench;

// The kontask benchmarks; docs/benchmarks.md has what each measures, its target and the last results.
// Usage: dotnet run -c Release --project bench/Konui.Bench -- <cold-index | append-latency | kontasks-page | replica-latency>
return args switch
{
    [ColdIndexBenchmark.Name] => ColdIndexBenchmark.Run(),
    [ColdIndexBenchmark.ChildName, var file] => ColdIndexBenchmark.RunChild(file),
    [AppendLatencyBenchmark.Name] => AppendLatencyBenchmark.Run(),
    [KontasksPageBenchmark.Name] => await KontasksPageBenchmark.RunAsync(),
    [ReplicaLatencyBenchmark.Name] => await ReplicaLatencyBenchmark.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project bench/Konui.Bench -- <{ColdIndexBenchmark.Name} | {AppendLatencyBenchmark.Name} | {KontasksPageBenchmark.Name} | {ReplicaLatencyBenchmark.Name}>");
    return 2;
}
