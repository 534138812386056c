namespace Konui.Blazor.Hosting;

/// <summary>The "Konui" configuration section. Every key has a default, so Konui runs with no configuration at all.</summary>
public sealed class KonuiOptions
{
    public const string Section = "Konui";
    public const string DefaultUrl = "http://127.0.0.1:8666";

    /// <summary>Where runtime data lives (kontasks, turn logs). Relative paths are under the content root.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>The kontasks file; relative paths are under <see cref="DataDir"/>.</summary>
    public string KontasksFile { get; set; } = "kontasks.jsonl";

    /// <summary>Required when listening on anything but loopback; then every page, the hub, /mcp and /api demand it.</summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Hosts (like "images.example.com") whose pictures show without a click: in Claude's answers (other remote
    /// pictures wait for a click) and in kontask output frames (which show no other remote pictures).
    /// </summary>
    public List<string> ImageHosts { get; set; } = [];

    /// <summary>How often kontasks.jsonl is checked when the file watcher stays silent.</summary>
    public TimeSpan KontasksPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Who runs this Konui, as a mailto: or https: address: push services (Apple's, Mozilla's, Google's) are told it
    /// with every message (the VAPID "sub"), to reach its owner if its messages cause trouble.
    /// </summary>
    public string PushContact { get; set; } = "mailto:konui@localhost";

    /// <summary>
    /// A phone's or tablet's tab (a touch screen is its pointer) hidden this long pauses its circuit, so a phone in a
    /// pocket holds nothing open on the server; shown again, it resumes (or reloads) with everything that happened
    /// meanwhile. Zero: never. Desktop tabs keep their circuits, so their titles and notifications stay live.
    /// </summary>
    public TimeSpan PauseHiddenAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A StackExchange.Redis connection string ("redis.example:6379,password=..."): with it, this Konui is one replica
    /// of several that share kontasks, turn events, broadcasts and sign-in keys through Redis. Without it, nothing of
    /// Redis is used.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>This replica's name among the others (default: the machine's name and Konui's port).</summary>
    public string? ReplicaName { get; set; }

    /// <summary>Where the other replicas reach this one's konsole (default: Konui's own address over loopback, for replicas on one machine).</summary>
    public string? ReplicaUrl { get; set; }

    public string ResolveDataDir(string contentRoot) => Path.GetFullPath(DataDir, contentRoot);

    public string ResolveKontasksFile(string contentRoot) => Path.GetFullPath(KontasksFile, ResolveDataDir(contentRoot));
}
