using System.Collections.Immutable;

namespace Konui.Blazor.Replicas;

/// <summary>
/// Whether this Konui shares its world through Redis, and since when Redis has been out of reach (the status bar
/// says so). A plain object, registered also without Konui:Redis (then <see cref="Enabled"/> is false).
/// </summary>
public sealed class RedisStatus
{
    private long _unreachableSinceTicks;

    public bool Enabled { get; init; }

    /// <summary>This replica's name among the others (null without Redis).</summary>
    public string? ReplicaName { get; init; }

    /// <summary>
    /// The other replicas' konsoles heard from lately, by name (kept as they were while Redis is away). Whoever
    /// reaches konsoles by machine takes them as machines added and removed at run time (<see cref="Changed"/> says
    /// when): the replicas share Konui:AccessToken, so any replica may call another's konsole directly.
    /// </summary>
    public ImmutableArray<ReplicaKonsole> OtherReplicas { get; private set; } = [];

    /// <summary>Takes the replicas heard from now; tells <see cref="Changed"/> when their names or addresses differ from before.</summary>
    public void Heard(ImmutableArray<ReplicaKonsole> others)
    {
        var changed = !others.Select(k => (k.Name, k.Url)).SequenceEqual(OtherReplicas.Select(k => (k.Name, k.Url)));
        OtherReplicas = others;
        if (changed) Changed?.Invoke();
    }

    /// <summary>When Redis stopped answering; null while it answers (or when Redis is not configured).</summary>
    public DateTimeOffset? UnreachableSince
    {
        get
        {
            var ticks = Interlocked.Read(ref _unreachableSinceTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Redis did not answer at <paramref name="at"/>: keeps the first such moment until it answers again.</summary>
    public void Unreachable(DateTimeOffset at)
    {
        if (Interlocked.CompareExchange(ref _unreachableSinceTicks, at.UtcTicks, 0) == 0) Changed?.Invoke();
    }

    public void Reachable()
    {
        if (Interlocked.Exchange(ref _unreachableSinceTicks, 0) != 0) Changed?.Invoke();
    }

    /// <summary>Redis went out of reach or came back, or the other replicas changed (raised on the thread that noticed).</summary>
    public event Action? Changed;
}
