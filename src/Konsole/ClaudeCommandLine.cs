using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core.Kontasks;
using Konui.Core.Konsole;

namespace Konsole;

/// <summary>
/// The arguments konsole starts the CLI with: long-lived stream-json in and out, asking konsole before a tool runs
/// (--permission-prompt-tool stdio), Konui's MCP tools, config, and what the session has settled (its mode, model and
/// the rules allowed for it), so a CLI started again for the session goes on as the last one left off.
/// </summary>
public static class ClaudeCommandLine
{
    public const string SystemPrompt =
        "You are working through Konui, a dashboard. Each user message begins with a line <konui-request id=\"...\"/>: " +
        "that is the requestId of the current turn. When you report results, plans, findings or questions, create a " +
        $"kontask with the {KonuiTools.CreateTask} tool: put ALL of the card's content in context.output as self-contained HTML " +
        "(it renders in a sandboxed frame; diagrams: <div id=\"d1\"></div><script>renderMermaidDiagram('d1', '...')</script>), " +
        "offer next steps as context.choices, and always pass that requestId as requestId.";

    public static IReadOnlyList<string> Arguments(KonsoleOptions options, string sessionId, bool resume, SessionLaunch launch)
    {
        var arguments = new List<string>
        {
            "--print",
            "--input-format", "stream-json",
            "--output-format", "stream-json",
            "--verbose",
            "--include-partial-messages",
            "--permission-prompt-tool", "stdio",
            resume ? $"--resume={sessionId}" : $"--session-id={sessionId}",
            "--mcp-config", McpConfig(options, sessionId),
            "--allowedTools", string.Join(',', options.AllowedTools.Concat(KonuiTools.All.Select(KonuiTools.InClaude)).Distinct(StringComparer.Ordinal)),
            "--append-system-prompt", SystemPrompt,
        };
        if (launch.SettingsFile is { } settings) arguments.AddRange(["--settings", settings]);
        if ((launch.Model ?? options.Model) is { } model && !string.IsNullOrWhiteSpace(model)) arguments.Add($"--model={model}");
        if ((launch.PermissionMode ?? options.PermissionMode) is { } mode && !string.IsNullOrWhiteSpace(mode)) arguments.Add($"--permission-mode={mode}");
        arguments.AddRange(options.ExtraArguments);
        return arguments;
    }

    /// <summary>
    /// The --mcp-config JSON. Every call the CLI makes to Konui's tools says which console session it serves (the
    /// <see cref="SessionHeader"/>, not a secret), so a kontask gets that session's running turn. The
    /// <see cref="McpToken"/> appears only as <c>${KONUI_MCP_TOKEN}</c>, which the CLI expands from its environment (see
    /// <see cref="Environment"/>): the secret is never in the command line. alwaysLoad makes the CLI wait (up to
    /// MCP_CONNECT_TIMEOUT_MS, 5 s by default) until Konui's tools are there before its first model request; without
    /// it the CLI connects in the background and a first turn can find "The MCP server 'konui' is still connecting".
    /// </summary>
    public static string McpConfig(KonsoleOptions options, string sessionId)
    {
        var headers = new JsonObject { [SessionHeader] = sessionId };
        if (!string.IsNullOrWhiteSpace(options.KonuiAccessToken)) headers["Authorization"] = $"Bearer ${{{AccessTokenVariable}}}";
        var konui = new JsonObject { ["type"] = "http", ["url"] = options.KonuiMcpUrl, ["headers"] = headers, ["alwaysLoad"] = true };
        return new JsonObject { ["mcpServers"] = new JsonObject { [KonuiTools.Server] = konui } }.ToJsonString();
    }

    /// <summary>Whether the CLI is started so that it may accept bypassPermissions at all.</summary>
    public static bool AllowsBypass(KonsoleOptions options) =>
        options.ExtraArguments.Any(a => a is "--allow-dangerously-skip-permissions" or "--dangerously-skip-permissions");

    /// <summary>The header that names the console session whose CLI calls Konui's MCP tools.</summary>
    public const string SessionHeader = "X-Konsole-Session";

    /// <summary>The variable that carries the <see cref="McpToken"/> to the CLI.</summary>
    public const string AccessTokenVariable = "KONUI_MCP_TOKEN";

    /// <summary>
    /// The CLI's environment: the configured variables, and when Konui has an access token the
    /// <see cref="McpToken"/> derived from it, never the access token itself.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(KonsoleOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.KonuiAccessToken)) return options.Environment;
        return new Dictionary<string, string>(options.Environment) { [AccessTokenVariable] = McpToken.From(options.KonuiAccessToken) };
    }

    /// <summary>
    /// Takes Konui's and konsole's own settings out of an environment the CLI would inherit: they hold Konui's access
    /// token and konsole's, the Redis password and the certificate's (a user is told to pass them as variables), and the
    /// agent's tools can read every variable. A setting is a variable named Konui__..., Konsole__... or Kestrel__... (or
    /// with ':'), also behind the DOTNET_ or ASPNETCORE_ prefix .NET reads settings from.
    /// </summary>
    public static void RemoveKonuiSettings(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(IsKonuiSetting).ToList()) environment.Remove(name);
    }

    private static bool IsKonuiSetting(string name)
    {
        var bare = name.AsSpan();
        foreach (var prefix in (string[])["DOTNET_", "ASPNETCORE_"])
        {
            if (bare.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) bare = bare[prefix.Length..];
        }
        foreach (var section in (string[])["Konui", "Konsole", "Kestrel"])
        {
            if (bare.StartsWith(section, StringComparison.OrdinalIgnoreCase)
                && (bare[section.Length..].StartsWith("__", StringComparison.Ordinal) || bare[section.Length..].StartsWith(":", StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>One stdin line: a user message with the turn's request marker, the prompt and its images.</summary>
    public static string UserMessage(string requestId, string prompt, IEnumerable<(string MediaType, string Base64)> images)
    {
        var content = new JsonArray
        {
            new JsonObject { ["type"] = "text", ["text"] = $"<konui-request id=\"{requestId}\"/>" },
            new JsonObject { ["type"] = "text", ["text"] = prompt },
        };
        foreach (var (mediaType, base64) in images)
        {
            content.Add(new JsonObject
            {
                ["type"] = "image",
                ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = mediaType, ["data"] = base64 },
            });
        }
        return new JsonObject
        {
            ["type"] = "user",
            ["message"] = new JsonObject { ["role"] = "user", ["content"] = content },
            ["parent_tool_use_id"] = null,
            ["session_id"] = "",
        }.ToJsonString(Relaxed);
    }

    public static string InterruptRequest(string requestId) => ControlRequest(requestId, new JsonObject { ["subtype"] = "interrupt" });

    /// <summary>A control request to the CLI, e.g. <c>{"subtype":"set_permission_mode","mode":"plan"}</c>; it answers with a control_response naming <paramref name="requestId"/>.</summary>
    public static string ControlRequest(string requestId, JsonObject request) =>
        new JsonObject
        {
            ["type"] = "control_request",
            ["request_id"] = requestId,
            ["request"] = request,
        }.ToJsonString(Relaxed);

    /// <summary>The answer to the CLI's can_use_tool request <paramref name="cliRequestId"/>: <c>{"behavior":"allow",...}</c> or <c>{"behavior":"deny",...}</c>.</summary>
    public static string DecisionResponse(string cliRequestId, JsonObject response) =>
        new JsonObject
        {
            ["type"] = "control_response",
            ["response"] = new JsonObject { ["subtype"] = "success", ["request_id"] = cliRequestId, ["response"] = response },
        }.ToJsonString(Relaxed);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
