namespace Konsole;

/// <summary>The "Konsole" configuration section: how the Claude Code CLI is run. Every key has a default.</summary>
public sealed class KonsoleOptions
{
    public const string Section = "Konsole";
    public const string StandaloneUrl = "http://127.0.0.1:8020";

    /// <summary>Where a standalone konsole runs. Set in Konui, it makes Konui use that konsole instead of its own.</summary>
    public string? Url { get; set; }

    /// <summary>The CLI executable: a path, or a name looked up on PATH.</summary>
    public string ClaudePath { get; set; } = "claude";

    /// <summary>Where turn logs live; relative to the content root.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>Konui's MCP endpoint, given to the CLI with --mcp-config.</summary>
    public string KonuiMcpUrl { get; set; } = "http://127.0.0.1:8666/mcp";

    /// <summary>Konui's access token, sent by the CLI to /mcp, when Konui has one (in the CLI's environment, never its command line).</summary>
    public string? KonuiAccessToken { get; set; }

    /// <summary>Demanded as a bearer token by a standalone konsole's API, when set.</summary>
    public string? AccessToken { get; set; }

    public string? Model { get; set; }

    /// <summary>default, acceptEdits, plan, dontAsk, ... (bypassPermissions is refused by the CLI when run as root).</summary>
    public string? PermissionMode { get; set; }

    /// <summary>Where Claude works; default: konsole's working directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Root folders of projects: a new session may be started in one of them or a folder inside one (POST turns'
    /// workingDirectory). None: every session runs in <see cref="WorkingDirectory"/>.
    /// </summary>
    public List<string> Projects { get; set; } = [];

    /// <summary>Tools Claude may use without asking, besides Konui's own kontask tools.</summary>
    public List<string> AllowedTools { get; set; } = [];

    public List<string> ExtraArguments { get; set; } = [];

    /// <summary>Environment variables for the CLI (for example ANTHROPIC_BASE_URL).</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>How long to wait for the CLI at each step of stopping it (interrupt, SIGINT, stdin closed, SIGTERM).</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Keep one CLI started and idle, ready for the next new session, so that its first prompt goes out as fast as a
    /// running session's (see <see cref="SpareCli"/>).
    /// </summary>
    public bool KeepSpare { get; set; } = true;

    /// <summary>A session's CLI with no turn for this long is closed (gracefully); the next prompt resumes it.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A decision nobody answers within this long is denied; none (the default): Claude Code waits as long as it takes.</summary>
    public TimeSpan? DecisionTimeout { get; set; }

    /// <summary>How often an SSE stream sends a keep-alive comment.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);
}
