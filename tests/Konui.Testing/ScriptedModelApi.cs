using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Konui.Testing;

/// <summary>
/// A local stand-in for the Anthropic Messages API that the Claude Code CLI can be pointed at
/// (<c>ANTHROPIC_BASE_URL</c> = <see cref="BaseUrl"/>). A script decides each reply; every request is recorded.
/// <list type="bullet">
/// <item><c>POST /v1/messages</c> (any query, e.g. <c>?beta=true</c>): the script's reply as Anthropic SSE, or as one
/// JSON message when the request has <c>"stream": false</c>, or an HTTP error with an Anthropic error body.</item>
/// <item><c>POST /v1/messages/count_tokens</c>: <c>{"input_tokens": n}</c> (estimated).</item>
/// <item>Anything else (including the CLI's <c>HEAD /</c> preconnect): 404.</item>
/// </list>
/// Delays stop as soon as the client disconnects (an interrupt) or the server is disposed. Each request records when
/// it was received (<see cref="ModelRequest.ReceivedAt"/>) and when each delta of its reply was written
/// (<see cref="ModelRequest.DeltasWrittenAt"/>), for latency measurements.
/// </summary>
public sealed class ScriptedModelApi : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private const string IdAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<ModelRequest> _requests = [];
    private readonly List<string> _httpLog = [];
    private readonly List<Exception> _scriptErrors = [];
    private volatile Func<ModelRequest, CancellationToken, Task<ModelReply>> _script;
    private int _abortedResponses;
    private int _disposed;

    private ScriptedModelApi(WebApplication app, Func<ModelRequest, CancellationToken, Task<ModelReply>> script)
    {
        _app = app;
        _script = script;
    }

    /// <summary>The server's address, <c>http://127.0.0.1:PORT</c> (no trailing slash).</summary>
    public required string BaseUrl { get; init; }

    /// <summary>The <c>/v1/messages</c> requests received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ModelRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Every HTTP request received, as <c>"METHOD /path?query -> status"</c> (a snapshot; for diagnostics).</summary>
    public IReadOnlyList<string> HttpLog
    {
        get
        {
            lock (_gate)
            {
                return [.. _httpLog];
            }
        }
    }

    /// <summary>
    /// Exceptions thrown by the script (each was answered with HTTP 500 api_error) and bodies that were not JSON objects
    /// (answered with 400). Assert this is empty at the end of a test.
    /// </summary>
    public IReadOnlyList<Exception> ScriptErrors
    {
        get
        {
            lock (_gate)
            {
                return [.. _scriptErrors];
            }
        }
    }

    /// <summary>How many responses were cut short because the client disconnected (e.g. an interrupt mid-stream).</summary>
    public int AbortedResponses => Volatile.Read(ref _abortedResponses);

    /// <summary>Starts a server on 127.0.0.1 (a free port). <paramref name="script"/> defaults to <see cref="Echo"/>.</summary>
    public static Task<ScriptedModelApi> StartAsync(Func<ModelRequest, ModelReply>? script = null, CancellationToken cancellationToken = default) =>
        StartAsync(Wrap(script ?? Echo), cancellationToken);

    /// <summary>Starts a server whose script is asynchronous (e.g. waits for a signal from the test before answering).</summary>
    public static async Task<ScriptedModelApi> StartAsync(Func<ModelRequest, CancellationToken, Task<ModelReply>> script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ScriptedModelApi? api = null;
        var (app, baseUrl) = await LoopbackServer.StartAsync(http => api!.HandleAsync(http), unlimitedRequestBodies: true, cancellationToken).ConfigureAwait(false);
        api = new ScriptedModelApi(app, script) { BaseUrl = baseUrl };
        return api;
    }

    /// <summary>Replaces the script (takes effect for the next request).</summary>
    public void SetScript(Func<ModelRequest, ModelReply> script) => _script = Wrap(script);

    /// <summary>Replaces the script with an asynchronous one (takes effect for the next request).</summary>
    public void SetScript(Func<ModelRequest, CancellationToken, Task<ModelReply>> script) =>
        _script = script ?? throw new ArgumentNullException(nameof(script));

    /// <summary>The default script: a tool result is answered with <c>"Tool result: ..."</c>, a prompt with <c>"You said: ..."</c>.</summary>
    public static ModelReply Echo(ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ToolResult is { } result
            ? ModelReply.Text($"Tool result{(result.IsError ? " (error)" : "")}: {result.Content}")
            : ModelReply.Text($"You said: {request.LastUserText}");
    }

    /// <summary>A script that answers with <paramref name="replies"/> in order, then repeats the last one.</summary>
    public static Func<ModelRequest, ModelReply> Sequence(params ModelReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        ArgumentOutOfRangeException.ThrowIfZero(replies.Length);
        var next = -1;
        return _ => replies[Math.Min(Interlocked.Increment(ref next), replies.Length - 1)];
    }

    /// <summary>
    /// A script for a conversation of tool calls: the reply at the number of tool results the conversation holds (the
    /// first with none, the next once the first call returned, ...), the last one from then on. Parallel calls return
    /// together: give the replies their results skip as placeholders.
    /// </summary>
    public static Func<ModelRequest, ModelReply> Steps(params ModelReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        ArgumentOutOfRangeException.ThrowIfZero(replies.Length);
        return request => replies[Math.Min(request.ToolResultCount, replies.Length - 1)];
    }

    /// <summary>
    /// Waits until a received request matches <paramref name="predicate"/> (any request when null; requests received
    /// earlier count too) and returns it.
    /// </summary>
    /// <exception cref="TimeoutException">None matched within <paramref name="timeout"/> (default 30 s).</exception>
    public async Task<ModelRequest> WaitForRequestAsync(Func<ModelRequest, bool>? predicate = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var match = Requests.FirstOrDefault(r => predicate?.Invoke(r) ?? true);
            if (match is not null)
            {
                return match;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"No matching model request within {timeout ?? TimeSpan.FromSeconds(30)}. Received: {string.Join(" | ", Requests)}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the server, cutting any response still streaming.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Connections still open after 5 s are dropped by DisposeAsync below.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static Func<ModelRequest, CancellationToken, Task<ModelReply>> Wrap(Func<ModelRequest, ModelReply> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return (request, _) => Task.FromResult(script(request));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var ct = linked.Token;
        try
        {
            if (HttpMethods.IsPost(request.Method) && request.Path.Equals("/v1/messages", StringComparison.Ordinal))
            {
                await HandleMessagesAsync(context, ct).ConfigureAwait(false);
            }
            else if (HttpMethods.IsPost(request.Method) && request.Path.Equals("/v1/messages/count_tokens", StringComparison.Ordinal))
            {
                var body = await ReadBodyAsync(request, ct).ConfigureAwait(false);
                await WriteJsonAsync(response, 200, new JsonObject { ["input_tokens"] = EstimateInputTokens(body) }, ct).ConfigureAwait(false);
            }
            else
            {
                response.StatusCode = 404;
                if (!HttpMethods.IsHead(request.Method))
                {
                    await WriteJsonAsync(response, 404, ErrorBody("not_found_error", "Not found"), ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _abortedResponses);
            context.Abort();
        }
        finally
        {
            var line = $"{request.Method} {request.Path}{request.QueryString} -> {response.StatusCode}"
                + (ct.IsCancellationRequested ? " (aborted)" : "");
            lock (_gate)
            {
                _httpLog.Add(line);
            }
        }
    }

    private async Task HandleMessagesAsync(HttpContext context, CancellationToken ct)
    {
        var body = await ReadBodyAsync(context.Request, ct).ConfigureAwait(false);
        var modelRequest = Record(context.Request, body);
        if (modelRequest is null)
        {
            await WriteJsonAsync(context.Response, 400, ErrorBody("invalid_request_error", "The request body is not a JSON object."), ct).ConfigureAwait(false);
            return;
        }

        ModelReply reply;
        try
        {
            reply = await _script(modelRequest, ct).ConfigureAwait(false);
            ArgumentNullException.ThrowIfNull(reply, "script result");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            lock (_gate)
            {
                _scriptErrors.Add(ex);
            }

            reply = ModelReply.Error(500, "api_error", $"ScriptedModelApi: the script threw {ex.GetType().Name}: {ex.Message}");
        }

        if (reply.InitialDelay > TimeSpan.Zero)
        {
            await Task.Delay(reply.InitialDelay, ct).ConfigureAwait(false);
        }

        var requestId = NewId("req_011C", 20);
        context.Response.Headers["request-id"] = requestId;
        if (reply.ErrorType is not null)
        {
            var error = ErrorBody(reply.ErrorType, reply.ErrorMessage ?? "");
            error["request_id"] = requestId;
            await WriteJsonAsync(context.Response, reply.StatusCode, error, ct).ConfigureAwait(false);
            return;
        }

        var inputTokens = reply.InputTokens ?? EstimateInputTokens(body);
        var outputTokens = reply.OutputTokens ?? Math.Max(1, reply.Blocks.Sum(b => b.Text.Length + b.ToolName.Length) / 4);
        var toolIds = reply.Blocks.Select(b => b.Type != "tool_use" ? "" : b.ToolUseId.Length > 0 ? b.ToolUseId : NewId("toolu_01", 22)).ToArray();
        var messageId = NewId("msg_01", 22);
        if (modelRequest.IsStreaming)
        {
            await StreamAsync(context.Response, modelRequest, reply, messageId, toolIds, inputTokens, outputTokens, ct).ConfigureAwait(false);
        }
        else
        {
            var message = Message(messageId, modelRequest.Model, inputTokens, outputTokens);
            message["stop_reason"] = reply.StopReason;
            var content = message["content"]!.AsArray();
            for (var i = 0; i < reply.Blocks.Count; i++)
            {
                content.Add(CompletedBlock(reply.Blocks[i], toolIds[i]));
            }

            await WriteJsonAsync(context.Response, 200, message, ct).ConfigureAwait(false);
        }
    }

    private ModelRequest? Record(HttpRequest request, string body)
    {
        lock (_gate)
        {
            try
            {
                var modelRequest = new ModelRequest(_requests.Count, request.Path.Value ?? "", request.QueryString.Value ?? "", ReadHeaders(request), body);
                _requests.Add(modelRequest);
                return modelRequest;
            }
            catch (JsonException ex)
            {
                _scriptErrors.Add(ex);
                return null;
            }
        }
    }

    private static async Task StreamAsync(HttpResponse response, ModelRequest request, ModelReply reply, string messageId, string[] toolIds, int inputTokens, int outputTokens, CancellationToken ct)
    {
        var model = request.Model;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(ct).ConfigureAwait(false);

        var start = Message(messageId, model, inputTokens, 1);
        await SendAsync(response, "message_start", new JsonObject { ["type"] = "message_start", ["message"] = start }, ct).ConfigureAwait(false);

        for (var index = 0; index < reply.Blocks.Count; index++)
        {
            var block = reply.Blocks[index];
            var last = index == reply.Blocks.Count - 1;
            await SendAsync(response, "content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = StartBlock(block, toolIds[index]),
            }, ct).ConfigureAwait(false);
            if (index == 0)
            {
                await SendAsync(response, "ping", new JsonObject { ["type"] = "ping" }, ct).ConfigureAwait(false);
            }

            var pieces = block.Split();
            for (var i = 0; i < pieces.Count; i++)
            {
                var delta = block.Type switch
                {
                    "thinking" => new JsonObject { ["type"] = "thinking_delta", ["thinking"] = pieces[i] },
                    "tool_use" => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = pieces[i] },
                    _ => new JsonObject { ["type"] = "text_delta", ["text"] = pieces[i] },
                };
                await SendAsync(response, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = delta }, ct).ConfigureAwait(false);
                request.DeltaWritten(DateTimeOffset.UtcNow);
                if (i < pieces.Count - 1 && block.DelayBetweenChunks > TimeSpan.Zero)
                {
                    await Task.Delay(block.DelayBetweenChunks, ct).ConfigureAwait(false);
                }
            }

            if (block.Type == "thinking")
            {
                await SendAsync(response, "content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = new JsonObject { ["type"] = "signature_delta", ["signature"] = block.Signature },
                }, ct).ConfigureAwait(false);
            }

            if (last && reply.StreamErrorType is not null)
            {
                break; // cut mid-block, as an overloaded API does
            }

            await SendAsync(response, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }, ct).ConfigureAwait(false);
            if (!last && block.DelayBetweenChunks > TimeSpan.Zero)
            {
                await Task.Delay(block.DelayBetweenChunks, ct).ConfigureAwait(false);
            }
        }

        if (reply.StreamErrorType is not null)
        {
            await SendAsync(response, "error", ErrorBody(reply.StreamErrorType, reply.ErrorMessage ?? ""), ct).ConfigureAwait(false);
            return;
        }

        await SendAsync(response, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = reply.StopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = inputTokens,
                ["cache_creation_input_tokens"] = 0,
                ["cache_read_input_tokens"] = 0,
                ["output_tokens"] = outputTokens,
            },
        }, ct).ConfigureAwait(false);
        await SendAsync(response, "message_stop", new JsonObject { ["type"] = "message_stop" }, ct).ConfigureAwait(false);
    }

    private static async Task SendAsync(HttpResponse response, string eventName, JsonObject data, CancellationToken ct)
    {
        var text = $"event: {eventName}\ndata: {data.ToJsonString(JsonOptions)}\n\n";
        await response.Body.WriteAsync(Utf8.GetBytes(text), ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpResponse response, int status, JsonObject body, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(Utf8.GetBytes(body.ToJsonString(JsonOptions)), ct).ConfigureAwait(false);
    }

    private static JsonObject Message(string id, string model, int inputTokens, int outputTokens) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray(),
        ["stop_reason"] = null,
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject
        {
            ["input_tokens"] = inputTokens,
            ["cache_creation_input_tokens"] = 0,
            ["cache_read_input_tokens"] = 0,
            ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = 0, ["ephemeral_1h_input_tokens"] = 0 },
            ["output_tokens"] = outputTokens,
            ["service_tier"] = "standard",
        },
    };

    private static JsonObject StartBlock(ModelReplyBlock block, string toolId) => block.Type switch
    {
        "thinking" => new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" },
        "tool_use" => new JsonObject { ["type"] = "tool_use", ["id"] = toolId, ["name"] = block.ToolName, ["input"] = new JsonObject() },
        _ => new JsonObject { ["type"] = "text", ["text"] = "" },
    };

    private static JsonObject CompletedBlock(ModelReplyBlock block, string toolId) => block.Type switch
    {
        "thinking" => new JsonObject { ["type"] = "thinking", ["thinking"] = block.Text, ["signature"] = block.Signature },
        "tool_use" => new JsonObject { ["type"] = "tool_use", ["id"] = toolId, ["name"] = block.ToolName, ["input"] = JsonNode.Parse(block.Text) },
        _ => new JsonObject { ["type"] = "text", ["text"] = block.Text },
    };

    private static JsonObject ErrorBody(string type, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
    };

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Utf8);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    private static Dictionary<string, string> ReadHeaders(HttpRequest request) =>
        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static int EstimateInputTokens(string body) => Math.Max(1, body.Length / 4);

    private static string NewId(string prefix, int length) =>
        string.Concat(prefix, RandomNumberGenerator.GetString(IdAlphabet, length));
}
