namespace Konui.Core.Kontasks;

/// <summary>
/// What the kontask index held once: the summaries (oldest first) of kontasks.jsonl's first <see cref="Offset"/>
/// bytes (<see cref="LineCount"/> lines), the first and last bytes of that stretch (to tell the same file from
/// another), and the ordinal the next new kontask gets.
/// </summary>
internal sealed record KontaskIndexSnapshot(
    long Offset,
    long LineCount,
    long NextOrdinal,
    byte[] HeadPrint,
    byte[] TailPrint,
    IReadOnlyList<KontaskSummary> OldestFirst);
