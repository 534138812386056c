namespace Konui.Blazor.Replicas;

/// <summary>What the replicas keep in Redis, by name, and the bounds that keep it from growing without end.</summary>
public static class RedisKeys
{
    /// <summary>The kontask feed: one entry per kontask line any replica's store took in (fields o: replica, k: the line).</summary>
    public const string Kontasks = "konui:kontasks";

    /// <summary>Entries the kontask feed keeps (approximately, MAXLEN ~): a replica away longer than this many kontasks misses the oldest.</summary>
    public const int KontasksKept = 10_000;

    /// <summary>Published after entries were added to the kontask feed, so readers read at once instead of at their next poll.</summary>
    public const string KontasksAdded = "konui:kontasks:added";

    /// <summary>A console session's turn events, in order (fields o: replica, t: turn id, e: the event as JSON).</summary>
    public static string SessionEvents(string sessionId) => "konui:session:" + sessionId;

    /// <summary>Events each session's stream keeps (approximately, MAXLEN ~).</summary>
    public const int SessionEventsKept = 10_000;

    /// <summary>A session's stream expires this long after its last event (an ended session's stream goes by itself).</summary>
    public static readonly TimeSpan SessionEventsExpiry = TimeSpan.FromDays(1);

    /// <summary>Every session with turn events in Redis, scored by the time (Unix ms) of its last one.</summary>
    public const string Sessions = "konui:sessions";

    /// <summary>Published with a session id after events were added to its stream.</summary>
    public const string TurnEventsAdded = "konui:session-events:added";

    /// <summary>Broadcasts, published to every replica (fields: the replica and the broadcast).</summary>
    public const string Broadcasts = "konui:broadcasts";

    /// <summary>The ASP.NET data-protection key ring every replica shares.</summary>
    public const string DataProtectionKeys = "konui:data-protection-keys";

    /// <summary>Each replica's embedded konsole (a hash: replica name -> its name, URL and heartbeat).</summary>
    public const string Konsoles = "konui:konsoles";
}
