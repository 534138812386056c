using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Konsole;
using Konui.Core;
using Konui.Core.Kontasks;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Konui.Blazor.Mcp;

/// <summary>
/// The konui_* MCP tools. Their input schemas are derived from these parameters; <see cref="ToolArgumentsCheck"/>
/// holds every call to them before it gets here. The tools only append to kontasks.jsonl: pages learn of a kontask
/// through the store's watcher and the event bus, exactly as they would of a line any other process appended.
/// </summary>
[McpServerToolType]
public sealed class KontaskTools(KontaskStore store, TimeProvider time, IHttpContextAccessor http, RunningTurns turns)
{
    [McpServerTool(Name = KonuiTools.CreateTask)]
    [Description("Create a kontask: a persistent rich card on the user's Konui dashboard, shown live and kept after the " +
                 "conversation. Put ALL of the card's content (findings, tables, code, diagrams) in context.output as HTML, " +
                 "offer next steps as context.choices, and pass the current turn's requestId. Returns {success, task}.")]
    public async Task<CallToolResult> Create(
        RequestContext<CallToolRequestParams> request,
        [Description("A short headline for the card."), MaxLength(KontaskLimits.TitleChars)] string title,
        [Description("One or two sentences that say what the card is about."), MaxLength(KontaskLimits.DescriptionChars)] string? description = null,
        [Description("What kind of card this is, e.g. report, question, plan, result, error."), MaxLength(KontaskLimits.ShortTextChars)] string? type = null,
        [Description("The card's state, e.g. ready, pending, in_progress, completed, failed. Default: ready."), MaxLength(KontaskLimits.ShortTextChars)] string? status = null,
        [Description("The project or area the card belongs to."), MaxLength(KontaskLimits.ShortTextChars)] string? scope = null,
        [Description("Keywords to find the card by."), MaxLength(KontaskLimits.Tags)] List<string>? tags = null,
        [Description("Who the card is for, when not the current user."), MaxLength(KontaskLimits.ShortTextChars)] string? targetUser = null,
        [Description("The requestId of the current turn, from the <konui-request id=\"...\"/> line of the user's message. " +
                     "It links the card to the conversation."), MaxLength(KontaskLimits.ShortTextChars)] string? requestId = null,
        [Description("The card's content: its HTML output and the choices offered.")] KontaskContextArgument? context = null,
        CancellationToken cancellationToken = default)
    {
        Required(title, "title", "a short headline for the card");
        CheckTags(tags);
        var output = Output(context?.Output, "context.output");
        var turnRequestId = await RunningTurnRequestIdAsync(cancellationToken);
        var now = time.GetUtcNow();
        var kontask = new Kontask
        {
            Id = Ids.Kontask(time),
            Title = title,
            Description = description,
            Type = type,
            Status = status ?? "ready",
            Scope = scope,
            Tags = tags,
            TargetUser = targetUser,
            RequestId = turnRequestId ?? requestId ?? context?.RequestId,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = CallerName(),
            Extra = UnknownArguments(request),
        };
        if (context is not null)
        {
            kontask.Context = new KontaskContext
            {
                Output = output,
                Choices = context.Choices?.Select(c => c.ToChoice()).ToList(),
                RequestId = turnRequestId ?? context.RequestId ?? kontask.RequestId,
                RequestedAt = context.RequestedAt,
                Extra = context.Extra,
            };
        }
        Append(kontask);
        return Success(new JsonObject { ["task"] = Brief(kontask) });
    }

    [McpServerTool(Name = KonuiTools.UpdateTask)]
    [Description("Change an existing kontask: its status, output, choices, tags, title or description. Only the fields " +
                 "you pass change. Returns {success, task}.")]
    public CallToolResult Update(
        RequestContext<CallToolRequestParams> request,
        [Description($"The id of the kontask to change, as returned by {KonuiTools.CreateTask} or {KonuiTools.ListTasks}.")] string id,
        [Description("A new headline."), MaxLength(KontaskLimits.TitleChars)] string? title = null,
        [Description("A new description."), MaxLength(KontaskLimits.DescriptionChars)] string? description = null,
        [Description("A new kind."), MaxLength(KontaskLimits.ShortTextChars)] string? type = null,
        [Description("A new state, e.g. in_progress, completed, failed."), MaxLength(KontaskLimits.ShortTextChars)] string? status = null,
        [Description("A new scope."), MaxLength(KontaskLimits.ShortTextChars)] string? scope = null,
        [Description("The new tags; they replace the old ones."), MaxLength(KontaskLimits.Tags)] List<string>? tags = null,
        [Description("A new target user."), MaxLength(KontaskLimits.ShortTextChars)] string? targetUser = null,
        [Description(KontaskToolText.Output)] string? output = null,
        [Description(KontaskToolText.Choices), MaxLength(KontaskLimits.Choices)] List<KontaskChoiceArgument>? choices = null)
    {
        var unknown = UnknownArguments(request);
        if (title is null && description is null && type is null && status is null && scope is null && tags is null
            && targetUser is null && output is null && choices is null && unknown is null)
        {
            throw new ToolInputException("nothing to change: pass at least one of title, description, type, status, scope, tags, targetUser, output, choices.");
        }
        if (title is not null) Required(title, "title", "a new headline");
        CheckTags(tags);
        output = Output(output, "output");

        if (store.FindSummary(id) is { IsOversize: true } oversize)
        {
            throw new ToolInputException(
                $"kontask '{id}' is {KontaskLimits.Megabytes(oversize.Length)} MB, over the limit of {KontaskLimits.Megabytes(KontaskLimits.RecordBytes)} MB; " +
                $"it cannot be changed here. Create a new kontask with {KonuiTools.CreateTask} instead.");
        }
        var kontask = Find(id);
        kontask.Title = title ?? kontask.Title;
        kontask.Description = description ?? kontask.Description;
        kontask.Type = type ?? kontask.Type;
        kontask.Status = status ?? kontask.Status;
        kontask.Scope = scope ?? kontask.Scope;
        kontask.TargetUser = targetUser ?? kontask.TargetUser;
        kontask.Tags = tags ?? kontask.Tags;
        if (output is not null || choices is not null)
        {
            kontask.Context ??= new KontaskContext();
            kontask.Context.Output = output ?? kontask.Context.Output;
            kontask.Context.Choices = choices?.Select(c => c.ToChoice()).ToList() ?? kontask.Context.Choices;
        }
        foreach (var (name, value) in unknown ?? []) (kontask.Extra ??= [])[name] = value;
        kontask.UpdatedAt = time.GetUtcNow();
        Append(kontask);
        return Success(new JsonObject { ["task"] = Brief(kontask) });
    }

    [McpServerTool(Name = KonuiTools.GetTask, ReadOnly = true)]
    [Description("Read one kontask by id, with its full output and choices. Returns {success, task}.")]
    public CallToolResult Get([Description($"The kontask's id, as returned by {KonuiTools.CreateTask} or {KonuiTools.ListTasks}.")] string id) =>
        Success(new JsonObject { ["task"] = Full(Find(id)) });

    [McpServerTool(Name = KonuiTools.ListTasks, ReadOnly = true)]
    [Description("List kontasks, newest first, optionally only those with a status, scope, tag or requestId. Returns " +
                 $"{{success, total, tasks}} without the outputs; use {KonuiTools.GetTask} for one in full.")]
    public CallToolResult List(
        [Description("Only kontasks with this status.")] string? status = null,
        [Description("Only kontasks in this scope.")] string? scope = null,
        [Description("Only kontasks with this tag.")] string? tag = null,
        [Description("Only kontasks made in the turn with this requestId.")] string? requestId = null,
        [Description("How many to return, newest first."), Range(1, 200)] int limit = 20)
    {
        var page = store.Query(new KontaskQuery(Status: status, Scope: scope, Tag: tag, RequestId: requestId, Take: limit));
        var tasks = new JsonArray(page.Items.Select(k => (JsonNode)new JsonObject
        {
            ["id"] = k.Id,
            ["title"] = k.Title,
            ["description"] = k.Description,
            ["type"] = k.Type,
            ["status"] = k.Status,
            ["scope"] = k.Scope,
            ["tags"] = new JsonArray(k.Tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["requestId"] = k.RequestId,
            ["createdAt"] = k.CreatedAt,
            ["updatedAt"] = k.UpdatedAt,
        }).ToArray());
        return Success(new JsonObject { ["total"] = page.Total, ["tasks"] = tasks });
    }

    private void Append(Kontask kontask)
    {
        var line = KontaskJson.SerializeLine(kontask);
        if (line.Length > KontaskLimits.RecordBytes)
        {
            throw new ToolInputException(
                $"the kontask would be {KontaskLimits.Megabytes(line.Length)} MB; the limit is {KontaskLimits.Megabytes(KontaskLimits.RecordBytes)} MB for the whole record. " +
                "Leave out fields the card does not need, and shorten the output.");
        }
        try
        {
            KontaskJson.Deserialize(line);
        }
        catch (JsonException ex)
        {
            var at = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "the arguments" : ex.Path.TrimStart('$', '.');
            throw new ToolInputException($"{at} has the wrong type for that field of a kontask; fix its type or leave it out.");
        }
        store.Append(kontask);
    }

    private Kontask Find(string id) =>
        store.Get(id) ?? throw new ToolInputException($"there is no kontask with id '{id}'. Call {KonuiTools.ListTasks} to find the right id.");

    private static void Required(string value, string name, string what)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ToolInputException($"{name} is required: {what}.");
    }

    private static void CheckTags(List<string>? tags)
    {
        var index = tags?.FindIndex(t => t.Length > KontaskLimits.ShortTextChars) ?? -1;
        if (index >= 0)
        {
            throw new ToolInputException(string.Create(CultureInfo.InvariantCulture,
                $"tags[{index}] is {tags![index].Length:N0} characters; at most {KontaskLimits.ShortTextChars} are allowed. Keep tags to a word or two."));
        }
    }

    /// <summary>Checks an HTML output: at most 2 MB of UTF-8.</summary>
    private static string? Output(string? output, string path)
    {
        if (output is null) return null;
        var bytes = Encoding.UTF8.GetByteCount(output);
        return bytes <= KontaskLimits.OutputBytes
            ? output
            : throw new ToolInputException(
                string.Create(CultureInfo.InvariantCulture, $"{path} is {bytes:N0} bytes; the limit is 2 MB ({KontaskLimits.OutputBytes:N0} bytes). ") +
                "Shorten it: summarize, or link to files instead of inlining them.");
    }

    /// <summary>Arguments the tool has no parameter for: kept with the kontask, unless they name a field Konui sets itself.</summary>
    private static Dictionary<string, JsonElement>? UnknownArguments(RequestContext<CallToolRequestParams> request)
    {
        var parameters = request.MatchedPrimitive is McpServerTool tool && tool.ProtocolTool.InputSchema.TryGetProperty("properties", out var p)
            ? p.EnumerateObject().Select(property => property.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        var unknown = (request.Params?.Arguments ?? new Dictionary<string, JsonElement>())
            .Where(a => !parameters.Contains(a.Key) && !KontaskFields.Contains(a.Key) && a.Value.ValueKind != JsonValueKind.Null)
            .ToDictionary(a => a.Key, a => a.Value.Clone());
        return unknown.Count > 0 ? unknown : null;
    }

    private static readonly HashSet<string> KontaskFields =
        KontaskJson.Options.GetTypeInfo(typeof(Kontask)).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The requestId of the turn whose CLI is calling, when konsole's CLI says which session it serves (the
    /// <see cref="ClaudeCommandLine.SessionHeader"/>): it wins over whatever the model passed, so a kontask always
    /// finds its turn.
    /// </summary>
    private async Task<string?> RunningTurnRequestIdAsync(CancellationToken cancellationToken)
    {
        var session = http.HttpContext?.Request.Headers[ClaudeCommandLine.SessionHeader].ToString();
        return string.IsNullOrWhiteSpace(session) ? null : await turns.RequestIdAsync(session, cancellationToken);
    }

    /// <summary>Who made a kontask: the client's product name from its User-Agent ("claude-code/2.1 (cli)" is claude-code).</summary>
    private string CallerName()
    {
        var agent = http.HttpContext?.Request.Headers.UserAgent.ToString() ?? "";
        var product = agent.Split(' ', 2)[0].Split('/', 2)[0];
        return string.IsNullOrWhiteSpace(product) ? "mcp-client" : product;
    }

    /// <summary>The task as the model gets it back after writing it: everything but the output it just sent.</summary>
    private static JsonObject Brief(Kontask kontask)
    {
        var node = Full(kontask);
        if (node["context"] is JsonObject context && context["output"] is JsonValue output)
        {
            context["output"] = $"({output.GetValue<string>().Length} characters stored)";
        }
        node["url"] = $"/kontasks/{kontask.Id}";
        return node;
    }

    private static JsonObject Full(Kontask kontask) => JsonNode.Parse(KontaskJson.Serialize(kontask))!.AsObject();

    private static CallToolResult Success(JsonObject payload)
    {
        var body = new JsonObject { ["success"] = true };
        foreach (var (key, value) in payload.ToList())
        {
            payload.Remove(key);
            body[key] = value;
        }
        var json = body.ToJsonString(KontaskJson.Options);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = json }],
            StructuredContent = JsonDocument.Parse(json).RootElement.Clone(),
        };
    }
}
