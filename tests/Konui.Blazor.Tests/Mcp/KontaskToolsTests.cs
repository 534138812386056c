using System.Text.Json;
using System.Text.Json.Nodes;
using Konui.Core.Kontasks;
using Konui.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Konui.Blazor.Tests.Mcp;

/// <summary>The konui_* tools through the MCP SDK's own Streamable HTTP client, against the running app.</summary>
public sealed class KontaskToolsTests(KontaskToolsTests.RunningApp app) : IClassFixture<KontaskToolsTests.RunningApp>
{
    public sealed class RunningApp : IAsyncLifetime
    {
        public KonuiProcess Konui { get; private set; } = null!;
        public McpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Konui = await KonuiProcess.StartAsync();
            Client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(Konui.BaseUrl + "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
            }));
        }

        public async Task DisposeAsync()
        {
            await Client.DisposeAsync();
            await Konui.DisposeAsync();
        }
    }

    private Task<CallToolResult> Call(string tool, object arguments) =>
        app.Client.CallToolAsync(tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!).AsTask();

    private static JsonElement Task(CallToolResult result)
    {
        Assert.True(result.IsError is null or false, Text(result));
        var body = JsonDocument.Parse(Text(result)).RootElement;
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.True(JsonElement.DeepEquals(body, result.StructuredContent!.Value), "structuredContent must carry the same result as the text");
        return body.GetProperty("task");
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private byte[] FileBytes() => File.Exists(app.Konui.KontasksFile) ? File.ReadAllBytes(app.Konui.KontasksFile) : [];

    [Fact]
    public async Task The_four_tools_are_listed_with_schemas_and_descriptions_for_the_model()
    {
        var tools = (await app.Client.ListToolsAsync()).ToDictionary(t => t.Name);

        Assert.Equal(["konui_create_task", "konui_get_task", "konui_list_tasks", "konui_update_task"], tools.Keys.Order());
        Assert.All(tools.Values, t => Assert.True(t.Description.Length > 40, $"{t.Name} needs a description the model can act on"));
        var create = tools["konui_create_task"].JsonSchema;
        Assert.Equal(["title"], create.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(200, create.GetProperty("properties").GetProperty("title").GetProperty("maxLength").GetInt32());
        var context = create.GetProperty("properties").GetProperty("context").GetProperty("properties");
        Assert.Contains("string", Types(context.GetProperty("output")));
        Assert.Contains("renderMermaidDiagram", context.GetProperty("output").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, context.GetProperty("choices").GetProperty("maxItems").GetInt32());
        Assert.Equal(["label", "value"], context.GetProperty("choices").GetProperty("items").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("date-time", context.GetProperty("requestedAt").GetProperty("format").GetString());
        Assert.Equal(["id"], tools["konui_update_task"].JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["id"], tools["konui_get_task"].JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var limit = tools["konui_list_tasks"].JsonSchema.GetProperty("properties").GetProperty("limit");
        Assert.Equal((1, 200), (limit.GetProperty("minimum").GetInt32(), limit.GetProperty("maximum").GetInt32()));
        Assert.True(tools["konui_list_tasks"].JsonSchema.GetProperty("properties").TryGetProperty("requestId", out _));
        Assert.True(tools["konui_get_task"].ProtocolTool.Annotations?.ReadOnlyHint);
    }

    private static IEnumerable<string?> Types(JsonElement schema) => schema.GetProperty("type") is { ValueKind: JsonValueKind.Array } types
        ? types.EnumerateArray().Select(t => t.GetString())
        : [schema.GetProperty("type").GetString()];

    [Fact]
    public async Task Create_get_list_and_update_a_kontask()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var created = Task(await Call("konui_create_task", new
        {
            title = "Build report",
            description = "What the build did",
            type = "report",
            scope = "mcp-test",
            tags = new[] { "build", "mcp" },
            requestId = "req-mcp-1",
            context = new
            {
                output = "<h3>All green</h3>",
                choices = new[] { new { label = "Ship it", value = "Deploy to staging", primary = true } },
            },
            priority = "high",
        }));
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("kt_", id, StringComparison.Ordinal);
        Assert.Equal("ready", created.GetProperty("status").GetString());
        Assert.True(created.GetProperty("createdAt").GetDateTimeOffset() >= before);
        Assert.Equal(created.GetProperty("createdAt").GetString(), created.GetProperty("updatedAt").GetString());
        Assert.False(string.IsNullOrWhiteSpace(created.GetProperty("createdBy").GetString()));
        Assert.Equal($"/kontasks/{id}", created.GetProperty("url").GetString());

        var got = Task(await Call("konui_get_task", new { id }));
        Assert.Equal("<h3>All green</h3>", got.GetProperty("context").GetProperty("output").GetString());
        Assert.Equal("req-mcp-1", got.GetProperty("context").GetProperty("requestId").GetString());
        Assert.Equal("high", got.GetProperty("priority").GetString());
        Assert.True(got.GetProperty("context").GetProperty("choices")[0].GetProperty("primary").GetBoolean());

        var listed = JsonDocument.Parse(Text(await Call("konui_list_tasks", new { requestId = "req-mcp-1" }))).RootElement;
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        Assert.Equal(id, listed.GetProperty("tasks")[0].GetProperty("id").GetString());
        Assert.False(listed.GetProperty("tasks")[0].TryGetProperty("context", out _), "list leaves the outputs out");
        Assert.Equal(1, JsonDocument.Parse(Text(await Call("konui_list_tasks", new { scope = "mcp-test", tag = "mcp", status = "ready" }))).RootElement.GetProperty("total").GetInt32());

        var linesBefore = File.ReadAllLines(app.Konui.KontasksFile).Length;
        var updated = Task(await Call("konui_update_task", new { id, status = "completed", output = "<h3>Shipped</h3>", tags = new[] { "done" } }));
        Assert.Equal("completed", updated.GetProperty("status").GetString());
        Assert.True(updated.GetProperty("updatedAt").GetDateTimeOffset() > created.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(linesBefore + 1, File.ReadAllLines(app.Konui.KontasksFile).Length);

        var after = Task(await Call("konui_get_task", new { id }));
        Assert.Equal("<h3>Shipped</h3>", after.GetProperty("context").GetProperty("output").GetString());
        Assert.Equal(["done"], after.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Build report", after.GetProperty("title").GetString());
        Assert.Equal("Deploy to staging", after.GetProperty("context").GetProperty("choices")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task List_returns_newest_first_and_honours_the_limit()
    {
        for (var i = 0; i < 3; i++) Task(await Call("konui_create_task", new { title = $"Limit {i}", scope = "limit-test" }));

        var listed = JsonDocument.Parse(Text(await Call("konui_list_tasks", new { scope = "limit-test", limit = 2 }))).RootElement;

        Assert.Equal(3, listed.GetProperty("total").GetInt32());
        Assert.Equal(["Limit 2", "Limit 1"], listed.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("title").GetString()));
    }

    public static TheoryData<string, string, string> InvalidCalls() => new()
    {
        { "konui_create_task", """{"description":"no title"}""", "title is required" },
        { "konui_create_task", """{"title":42}""", "title must be a string, not the number 42" },
        { "konui_create_task", """{"title":"T","tags":"build"}""", "tags must be an array of strings" },
        { "konui_create_task", """{"title":"T","context":"<p>hi</p>"}""", "context must be an object with output, choices, requestId, requestedAt, not a string" },
        { "konui_create_task", """{"title":"   "}""", "title is required: a short headline for the card" },
        { "konui_create_task", """{"title":"T","tags":["build",null]}""", "tags[1] must be a string, not null" },
        { "konui_create_task", """{"title":"T","context":{"requestedAt":"yesterday"}}""", "context.requestedAt must be a date and time in ISO 8601" },
        { "konui_create_task", """{"title":"T","context":{"output":{"html":"x"}}}""", "context.output must be a string" },
        { "konui_create_task", """{"title":"T","context":{"choices":[{"label":"Go"}]}}""", "context.choices[0].value is required" },
        { "konui_create_task", """{"title":"T","context":{"choices":[{"label":"Go","value":"go","primary":"yes"}]}}""", "context.choices[0].primary must be true or false" },
        { "konui_create_task", """{"title":"T","context":{"turnTiming":{"totalMs":"slow"}}}""", "context.turnTiming.totalMs has the wrong type" },
        { "konui_update_task", """{"id":"kt_does_not_exist"}""", "nothing to change" },
        { "konui_update_task", """{"id":"kt_does_not_exist","status":"done"}""", "there is no kontask with id 'kt_does_not_exist'" },
        { "konui_update_task", """{"status":"done"}""", "id is required" },
        { "konui_get_task", """{"id":"kt_does_not_exist"}""", "there is no kontask with id 'kt_does_not_exist'" },
        { "konui_list_tasks", """{"limit":0}""", "limit must be an integer from 1 to 200" },
        { "konui_list_tasks", """{"limit":"ten"}""", "limit must be an integer from 1 to 200, not a string" },
        { "konui_list_tasks", """{"limit":2.5}""", "limit must be an integer from 1 to 200, not the number 2.5" },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public async Task Invalid_input_gets_an_error_that_says_what_to_fix_and_writes_nothing(string tool, string arguments, string expected)
    {
        Task(await Call("konui_create_task", new { title = "Make sure the file exists" }));
        var before = FileBytes();

        var result = await Call(tool, JsonSerializer.Deserialize<JsonElement>(arguments));

        Assert.True(result.IsError);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, FileBytes());
    }

    [Fact]
    public async Task Output_over_2_MB_and_more_than_20_choices_are_refused_and_write_nothing()
    {
        Task(await Call("konui_create_task", new { title = "Make sure the file exists" }));
        var before = FileBytes();

        var big = await Call("konui_create_task", new { title = "Big", context = new { output = new string('x', 2 * 1024 * 1024 + 1) } });
        Assert.True(big.IsError);
        Assert.Contains("context.output is 2,097,153 bytes; the limit is 2 MB (2,097,152 bytes)", Text(big), StringComparison.Ordinal);

        var choices = Enumerable.Range(0, 21).Select(i => new { label = $"C{i}", value = $"v{i}" }).ToArray();
        var many = await Call("konui_create_task", new { title = "Many", context = new { choices } });
        Assert.True(many.IsError);
        Assert.Contains("has 21 entries; at most 20", Text(many), StringComparison.Ordinal);

        var id = Task(await Call("konui_create_task", new { title = "Target" })).GetProperty("id").GetString();
        before = FileBytes();
        var bigUpdate = await Call("konui_update_task", new { id, output = new string('x', 2 * 1024 * 1024 + 1) });
        Assert.True(bigUpdate.IsError);
        Assert.Equal(before, FileBytes());

        var exactly2Mb = Task(await Call("konui_create_task", new { title = "Exactly 2 MB", context = new { output = new string('x', 2 * 1024 * 1024) } }));
        Assert.Equal("Exactly 2 MB", exactly2Mb.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Fields_and_records_over_their_limits_are_refused_with_the_limit_named_and_write_nothing()
    {
        Task(await Call("konui_create_task", new { title = "Make sure the file exists" }));
        var before = FileBytes();

        var calls = new (object Arguments, string Expected)[]
        {
            (new { title = new string('t', 201) }, "title is 201 characters; at most 200 are allowed"),
            (new { title = "T", description = new string('d', 20 * 1024 * 1024) }, "description is 20,971,520 characters; at most 2,000 are allowed"),
            (new { title = "T", tags = Enumerable.Range(0, 31).Select(i => $"t{i}").ToArray() }, "tags has 31 entries; at most 30 are allowed"),
            (new { title = "T", tags = new[] { "build", new string('g', 101) } }, "tags[1] is 101 characters; at most 100 are allowed"),
            (new { title = "T", context = new { choices = new[] { new { label = new string('l', 101), value = "v" } } } }, "context.choices[0].label is 101 characters; at most 100"),
            (new { title = "T", notes = new string('n', 20 * 1024 * 1024) }, "the kontask would be 20 MB; the limit is 2.25 MB for the whole record"),
            (new { title = "T", notes = new string('n', 300 * 1024), context = new { output = new string('x', 2 * 1024 * 1024) } }, "the limit is 2.25 MB for the whole record"),
        };
        foreach (var (arguments, expected) in calls)
        {
            var result = await Call("konui_create_task", arguments);
            Assert.True(result.IsError, expected);
            Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        }
        var id = Task(await Call("konui_create_task", new { title = "Target" })).GetProperty("id").GetString();
        before = FileBytes();
        var update = await Call("konui_update_task", new { id, notes = new string('n', 3 * 1024 * 1024) });
        Assert.True(update.IsError);
        Assert.Contains("for the whole record", Text(update), StringComparison.Ordinal);
        Assert.Equal(before, FileBytes());

        var kept = Task(await Call("konui_create_task", new { title = "Small unknown field", notes = "kept" }));
        Assert.Equal("kept", kept.GetProperty("notes").GetString());
    }

    [Fact]
    public async Task A_huge_kontask_another_process_appended_keeps_the_tools_and_pages_small()
    {
        var id = "kt_huge_" + Guid.NewGuid().ToString("N");
        var line = new JsonObject
        {
            ["id"] = id,
            ["title"] = "Huge " + new string('T', 5_000),
            ["description"] = "Everything. " + new string('d', 20 * 1024 * 1024),
            ["createdAt"] = DateTimeOffset.UtcNow.AddYears(1),
            ["context"] = new JsonObject { ["output"] = new string('x', 3 * 1024 * 1024) },
        }.ToJsonString();
        await File.AppendAllTextAsync(app.Konui.KontasksFile, line + "\n");

        JsonElement got;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = await Call("konui_get_task", new { id });
            if (result.IsError is not true)
            {
                got = Task(result);
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "Konui never indexed the appended line: " + Text(result));
            await System.Threading.Tasks.Task.Delay(100);
        }
        Assert.Equal(KontaskLimits.TitleChars, got.GetProperty("title").GetString()!.Length);
        Assert.Contains("only its summary is shown", got.GetProperty("context").GetProperty("output").GetString(), StringComparison.Ordinal);

        var listed = JsonDocument.Parse(Text(await Call("konui_list_tasks", new { limit = 1 }))).RootElement.GetProperty("tasks")[0];
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.Equal(KontaskLimits.DescriptionExcerptChars, listed.GetProperty("description").GetString()!.Length);

        var before = FileBytes();
        var update = await Call("konui_update_task", new { id, status = "done" });
        Assert.True(update.IsError);
        Assert.Contains("over the limit of 2.25 MB; it cannot be changed here", Text(update), StringComparison.Ordinal);
        Assert.Equal(before, FileBytes());

        using var http = new HttpClient();
        foreach (var page in new[] { "/kontasks", $"/kontasks/{id}" })
        {
            var html = await http.GetStringAsync(app.Konui.BaseUrl + page);
            Assert.Contains(id, html, StringComparison.Ordinal);
            Assert.True(html.Length < 200_000, $"{page} is {html.Length:N0} characters");
        }
    }

    public static TheoryData<string, string> MalformedCalls() => new()
    {
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":null}""", "tools/call: params must be an object {\"name\": \"<tool>\", \"arguments\": {...}}, not null." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call"}""", "params must be an object" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[1]}""", "params must be an object {\"name\": \"<tool>\", \"arguments\": {...}}, not an array." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"konui_create_task","arguments":[1]}}""", "params.arguments must be an object of the tool's arguments" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"konui_create_task","arguments":"title"}}""", "params.arguments must be an object of the tool's arguments" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{"title":"T"}}}""", "params.name must name the tool to call, one of konui_create_task, konui_get_task, konui_list_tasks, konui_update_task." },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":42}}""", "params.name must name the tool to call" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"konui_delete_everything","arguments":{}}}""", "there is no tool 'konui_delete_everything'. The tools are konui_create_task" },
    };

    [Theory]
    [MemberData(nameof(MalformedCalls))]
    public async Task A_malformed_tools_call_gets_a_json_rpc_error_that_says_what_is_wrong_and_logs_no_failure(string body, string expected)
    {
        Task(await Call("konui_create_task", new { title = "Make sure the file exists" }));
        var before = FileBytes();
        var logLines = app.Konui.Output.Count();

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, app.Konui.BaseUrl + "/mcp") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var message = JsonDocument.Parse(text.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..]).RootElement;

        var error = message.GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("An error occurred", text, StringComparison.Ordinal);
        Assert.Equal(before, FileBytes());
        var logged = await LogSinceAsync(logLines);
        Assert.DoesNotContain(logged, l => l.Contains("Exception", StringComparison.Ordinal) || l.StartsWith("fail", StringComparison.Ordinal));
    }

    /// <summary>
    /// Konui's log from line <paramref name="from"/> up to a marker logged after it: a line that is not a kontask,
    /// appended now, is reported in order behind everything logged before it.
    /// </summary>
    private async Task<List<string>> LogSinceAsync(int from)
    {
        File.AppendAllText(app.Konui.KontasksFile, "log marker, not a kontask\n");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var logged = app.Konui.Output.Skip(from).ToList();
            if (logged.Any(l => l.Contains("not a kontask", StringComparison.Ordinal))) return logged;
            Assert.True(DateTime.UtcNow < deadline, "Konui never reported the marker line: " + string.Join("\n", logged));
            await System.Threading.Tasks.Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_app_stays_up_through_malformed_requests()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        http.DefaultRequestHeaders.Accept.ParseAdd("text/event-stream");
        using var garbage = await http.PostAsync(app.Konui.BaseUrl + "/mcp", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("did not contain a valid JSON-RPC message", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var get = await http.GetAsync(app.Konui.BaseUrl + "/mcp");
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, get.StatusCode);

        Task(await Call("konui_create_task", new { title = "Still here" }));
    }
}
