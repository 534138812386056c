using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core.Kontasks;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Konui.Blazor.Mcp;

/// <summary>
/// The konui_* MCP tools. They only append to kontasks.jsonl: pages learn of a kontask through the store's
/// watcher and the event bus, exactly as they would of a line any other process appended.
/// </summary>
internal sealed class KontaskTools(KontaskStore store, TimeProvider time)
{
    public const string CreateTask = "konui_create_task";
    public const string UpdateTask = "konui_update_task";
    public const string GetTask = "konui_get_task";
    public const string ListTasks = "konui_list_tasks";

    private static readonly HashSet<string> UpdateFields =
        ["id", "title", "description", "type", "status", "scope", "tags", "targetUser", "output", "choices"];

    public static IList<Tool> Tools { get; } =
    [
        new()
        {
            Name = CreateTask,
            Description = "Create a kontask: a persistent rich card on the user's Konui dashboard, shown live and kept after the conversation. Put ALL of the card's content (findings, tables, code, diagrams) in context.output as HTML, offer next steps as context.choices, and always pass the current turn's requestId. Returns {success, task}.",
            InputSchema = KontaskToolSchemas.Create,
        },
        new()
        {
            Name = UpdateTask,
            Description = "Change an existing kontask: its status, output, choices, tags, title or description. Only the fields you pass change. Returns {success, task}.",
            InputSchema = KontaskToolSchemas.Update,
        },
        new()
        {
            Name = GetTask,
            Description = "Read one kontask by id, with its full output and choices. Returns {success, task}.",
            InputSchema = KontaskToolSchemas.Get,
        },
        new()
        {
            Name = ListTasks,
            Description = "List kontasks, newest first, optionally only those with a status, scope, tag or requestId. Returns {success, total, tasks} without the outputs; use konui_get_task for one in full.",
            InputSchema = KontaskToolSchemas.List,
        },
    ];

    public CallToolResult Call(CallToolRequestParams call, string createdBy)
    {
        try
        {
            var arguments = new ToolArguments(call.Arguments);
            return call.Name switch
            {
                CreateTask => Success(new JsonObject { ["task"] = Brief(Create(arguments, call.Arguments!, createdBy)) }),
                UpdateTask => Success(new JsonObject { ["task"] = Brief(Update(arguments, call.Arguments!)) }),
                GetTask => Success(new JsonObject { ["task"] = Full(Find(arguments.RequiredText("id", "the kontask's id"))) }),
                ListTasks => List(arguments),
                _ => throw new McpProtocolException($"Unknown tool '{call.Name}'. Konui's tools are {string.Join(", ", Tools.Select(t => t.Name))}.", McpErrorCode.InvalidParams),
            };
        }
        catch (ToolInputException ex)
        {
            return Failure($"{call.Name}: {ex.Message} Nothing was written.");
        }
    }

    private Kontask Create(ToolArguments arguments, IDictionary<string, JsonElement> raw, string createdBy)
    {
        var title = arguments.RequiredText("title", "a short headline for the card");
        foreach (var name in new[] { "description", "type", "status", "scope", "targetUser", "requestId" }) arguments.Text(name);
        arguments.Strings("tags");
        var context = arguments.Object("context");
        KontaskContext? parsedContext = null;
        if (context is { } c)
        {
            var fields = c.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            ToolArguments.Output(fields, "output", "context.output");
            ToolArguments.Choices(fields, "choices", "context.choices");
            parsedContext = Parse<KontaskContext>(c, "context");
        }

        var kontask = Parse<Kontask>(JsonSerializer.SerializeToElement(raw), "the arguments");
        var now = time.GetUtcNow();
        kontask.Id = KontaskIds.New(time);
        kontask.Title = title;
        kontask.Status ??= "ready";
        kontask.CreatedAt = now;
        kontask.UpdatedAt = now;
        kontask.CreatedBy = createdBy;
        kontask.Context = parsedContext;
        if (kontask.Context is { } ctx)
        {
            ctx.RequestId ??= kontask.RequestId;
            kontask.RequestId ??= ctx.RequestId;
        }
        store.Append(kontask);
        return kontask;
    }

    private Kontask Update(ToolArguments arguments, IDictionary<string, JsonElement> raw)
    {
        var id = arguments.RequiredText("id", "the id of the kontask to change");
        var changes = arguments.Names.Where(n => n != "id" && arguments.Has(n)).ToList();
        if (changes.Count == 0)
        {
            throw new ToolInputException("nothing to change: pass at least one of title, description, type, status, scope, tags, targetUser, output, choices.");
        }
        var title = arguments.Text("title");
        if (title is not null && string.IsNullOrWhiteSpace(title)) throw new ToolInputException("title cannot be empty.");
        var description = arguments.Text("description");
        var type = arguments.Text("type");
        var status = arguments.Text("status");
        var scope = arguments.Text("scope");
        var targetUser = arguments.Text("targetUser");
        var tags = arguments.Strings("tags");
        var output = ToolArguments.Output(raw, "output", "output");
        var choices = ToolArguments.Choices(raw, "choices", "choices");

        var kontask = Find(id);
        if (title is not null) kontask.Title = title;
        if (description is not null) kontask.Description = description;
        if (type is not null) kontask.Type = type;
        if (status is not null) kontask.Status = status;
        if (scope is not null) kontask.Scope = scope;
        if (targetUser is not null) kontask.TargetUser = targetUser;
        if (tags is not null) kontask.Tags = tags;
        if (output is not null || choices is not null)
        {
            kontask.Context ??= new KontaskContext();
            if (output is not null) kontask.Context.Output = output;
            if (choices is not null) kontask.Context.Choices = choices;
        }
        foreach (var name in changes.Where(n => !UpdateFields.Contains(n)))
        {
            (kontask.Extra ??= [])[name] = raw[name].Clone();
        }
        kontask.UpdatedAt = time.GetUtcNow();
        store.Append(kontask);
        return kontask;
    }

    private CallToolResult List(ToolArguments arguments)
    {
        var query = new KontaskQuery(
            Status: arguments.Text("status"),
            Scope: arguments.Text("scope"),
            Tag: arguments.Text("tag"),
            RequestId: arguments.Text("requestId"),
            Take: arguments.Integer("limit", 1, 200, 20));
        var page = store.Query(query);
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

    private Kontask Find(string id) =>
        store.Get(id) ?? throw new ToolInputException($"there is no kontask with id '{id}'. Call {ListTasks} to find the right id.");

    private static T Parse<T>(JsonElement element, string what)
    {
        try
        {
            return element.Deserialize<T>(KontaskJson.Options)
                ?? throw new ToolInputException($"{what} must be an object.");
        }
        catch (JsonException ex)
        {
            var at = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? what : ex.Path.TrimStart('$', '.');
            throw new ToolInputException($"{at} has the wrong type: {ex.Message.Split(". Path:")[0]}.");
        }
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

    private static CallToolResult Failure(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };
}
