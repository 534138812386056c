using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core;
using Konui.Core.Turns;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// One spare CLI: started as a new session would start it (--session-id of its own, no conversation, nothing allowed
/// for it), then asked for its MCP servers' status (the mcp_status control request, which changes nothing) until
/// Konui's server is no longer connecting. From then on a user line goes straight to the model. The CLI prints
/// nothing else while it waits for its first user line; its output is read only up to that answer, and the session
/// that takes the spare reads the rest.
/// </summary>
internal sealed class Spare
{
    private static readonly TimeSpan AskAgain = TimeSpan.FromMilliseconds(100);
    private readonly long _startedAt;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private Spare(string sessionId, SpareKey key, ClaudeProcess process, TimeProvider time, ILogger logger)
    {
        SessionId = sessionId;
        Key = key;
        Process = process;
        _time = time;
        _logger = logger;
        _startedAt = time.GetTimestamp();
    }

    /// <summary>The id the spare's conversation gets: the new session's id once a session takes it.</summary>
    public string SessionId { get; }

    public SpareKey Key { get; }

    public ClaudeProcess Process { get; }

    /// <summary>True once the spare is ready; false when it exited or did not get ready within the patience given.</summary>
    public Task<bool> Ready { get; private set; } = Task.FromResult(false);

    public bool IsReady => Ready.IsCompletedSuccessfully && Ready.Result && !Process.HasExited;

    /// <summary>How long ago it was started.</summary>
    public TimeSpan Age => _time.GetElapsedTime(_startedAt);

    /// <summary>Starts a spare for <paramref name="key"/>; throws <see cref="System.ComponentModel.Win32Exception"/> when the CLI cannot be run.</summary>
    public static Spare Start(KonsoleOptions options, ClaudeCli cli, SpareKey key, TimeSpan patience, TimeProvider time, ILogger logger)
    {
        var sessionId = Ids.Session();
        var process = ClaudeProcess.Start(cli.Path, ClaudeCommandLine.Arguments(options, sessionId, resume: false, new SessionLaunch(key.Model, key.Mode, null)),
            ClaudeCommandLine.Environment(options), key.Folder, logger, sessionId, cli.Running);
        var spare = new Spare(sessionId, key, process, time, logger);
        spare.Ready = spare.GetReadyAsync(patience);
        return spare;
    }

    /// <summary>A session took it: its output and its exit are the session's now.</summary>
    public bool Taken { get; set; }

    private async Task<bool> GetReadyAsync(TimeSpan patience)
    {
        using var cancel = new CancellationTokenSource(patience, _time);
        try
        {
            var parser = new StreamJsonParser();
            while (true)
            {
                var requestId = Ids.Control(_time);
                await Process.WriteLineAsync(ClaudeCommandLine.ControlRequest(requestId, new JsonObject { ["subtype"] = "mcp_status" }), cancel.Token);
                if (await AnswerAsync(parser, requestId, cancel.Token) is not { } answer) return false;
                if (!Connecting(answer))
                {
                    _logger.LogInformation("Spare claude (pid {Pid}, session {Session}) ready for a new session after {Ms:F0} ms ({Key}; MCP: {Servers})",
                        Process.Id, SessionId, Age.TotalMilliseconds, Key, Servers(answer));
                    return true;
                }
                await Task.Delay(AskAgain, _time, cancel.Token);
            }
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Spare claude (pid {Pid}) was not ready within {Patience}; it is not used", Process.Id, patience);
            return false;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads the CLI's output up to the answer to <paramref name="requestId"/>; null when its output ends first.</summary>
    private async Task<ControlResponse?> AnswerAsync(StreamJsonParser parser, string requestId, CancellationToken cancellationToken)
    {
        while (await Process.Output.ReadLineAsync(cancellationToken) is { } line)
        {
            foreach (var turnEvent in parser.Parse(line))
            {
                if (turnEvent is ControlResponse response && response.RequestId == requestId) return response;
            }
        }
        return null;
    }

    private static IEnumerable<JsonElement> McpServers(ControlResponse answer) =>
        answer.Response is { ValueKind: JsonValueKind.Object } response && response.TryGetProperty("mcpServers", out var servers) && servers.ValueKind == JsonValueKind.Array
            ? servers.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object)
            : [];

    private static string? Status(JsonElement server) =>
        server.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null;

    /// <summary>Whether an MCP server is still connecting (a CLI that does not know mcp_status answers with an error, and counts as ready).</summary>
    private static bool Connecting(ControlResponse answer) => McpServers(answer).Any(s => Status(s) == "pending");

    private static string Servers(ControlResponse answer) =>
        answer.Success
            ? string.Join(", ", McpServers(answer).Select(s => $"{(s.TryGetProperty("name", out var name) ? name.GetString() : "?")} {Status(s)}")) is { Length: > 0 } list ? list : "none"
            : $"not reported ({answer.Error})";

    /// <summary>Stops a spare no session took: it has no conversation to save, so closing its input is enough, else it is killed.</summary>
    public async Task StopAsync(TimeSpan grace, string why)
    {
        _logger.LogInformation("Stopping the spare claude (pid {Pid}): {Why}", Process.Id, why);
        try
        {
            Process.CloseInput(grace);
            if (!await Process.WaitForExitAsync(grace)) Process.Kill();
            await Ready;
        }
        catch (InvalidOperationException)
        {
            // It had exited and was disposed of already.
        }
    }
}
