using System.Text.Json;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Turns;

/// <summary>Lines the recordings do not have: unknown types, broken JSON, wrong shapes. None may stop a turn.</summary>
public sealed class StreamJsonParserLineTests
{
    [Theory]
    [InlineData("""{"type":"future_thing","x":1}""")]
    [InlineData("""{"type":"command_lifecycle","command_uuid":"5b0e8f8a-3c1d-4e2f-9a6b-7c8d9e0f1a2b","state":"queued","uuid":"ca93ac5e-dc0a-4ffe-b95e-e5344f992263","session_id":"150fe853-86ec-41c5-b334-95c377d07e53"}""")]
    [InlineData("""{"type":"system","subtype":"session_state_changed","state":"idle"}""")]
    [InlineData("""{"type":"control_request","request_id":"r1","request":{"subtype":"hook_callback","callback_id":"c1"}}""")]
    [InlineData("""{"type":"control_request","request_id":"r1","request":{"subtype":"can_use_tool"}}""")]
    [InlineData("""{"type":"control_request","request":{"subtype":"can_use_tool","tool_name":"Bash"}}""")]
    [InlineData("""{"no_type":true}""")]
    public void A_line_of_a_type_it_does_not_know_comes_out_raw_carrying_the_line(string line)
    {
        var raw = Assert.IsType<RawEvent>(Assert.Single(new StreamJsonParser().Parse(line)));

        using var document = JsonDocument.Parse(line);
        Assert.NotNull(raw.Line);
        Assert.True(JsonElement.DeepEquals(document.RootElement, raw.Line.Value));
        Assert.Null(raw.Text);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("""{"type":"assistant","message":{"id":"msg_01I2selWWUxsWtIfcYvkhWIj","type":"message","role":"assi""")]
    [InlineData("""{"type":"result"}}""")]
    [InlineData("Error: When using --print, --output-format=stream-json requires --verbose")]
    public void A_line_that_is_not_json_comes_out_raw_as_text(string line)
    {
        var raw = Assert.IsType<RawEvent>(Assert.Single(new StreamJsonParser().Parse(line)));

        Assert.Equal(line, raw.Text);
        Assert.Null(raw.Line);
    }

    [Theory]
    [InlineData("[1,2,3]", JsonValueKind.Array)]
    [InlineData("42", JsonValueKind.Number)]
    [InlineData("\"text\"", JsonValueKind.String)]
    [InlineData("null", JsonValueKind.Null)]
    public void A_json_line_that_is_not_an_object_comes_out_raw(string line, JsonValueKind kind)
    {
        var raw = Assert.IsType<RawEvent>(Assert.Single(new StreamJsonParser().Parse(line)));

        Assert.Equal(kind, raw.Line?.ValueKind);
        Assert.Equal(line, raw.Line?.GetRawText());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_line_gives_nothing(string line)
    {
        Assert.Empty(new StreamJsonParser().Parse(line));
    }

    [Fact]
    public void An_assistant_line_whose_message_is_not_an_object_comes_out_raw()
    {
        const string line = """{"type":"assistant","message":"oops"}""";

        var raw = Assert.IsType<RawEvent>(Assert.Single(new StreamJsonParser().Parse(line)));

        Assert.Equal("oops", raw.Line?.GetProperty("message").GetString());
    }

    [Fact]
    public void A_result_with_usage_of_the_wrong_shape_still_ends_the_turn()
    {
        var result = Assert.IsType<TurnResult>(Assert.Single(new StreamJsonParser().Parse("""{"type":"result","subtype":"success","usage":5}""")));

        Assert.Equal(("success", false), (result.Subtype, result.IsError));
        Assert.Null(result.Usage);
    }

    [Fact]
    public void A_delta_of_the_wrong_shape_gives_nothing()
    {
        Assert.Empty(new StreamJsonParser().Parse("""{"type":"stream_event","event":{"type":"content_block_delta","delta":7}}"""));
    }

    [Theory]
    [InlineData("""{"type":7}""")]
    [InlineData("""{"type":"system"}""")]
    [InlineData("""{"type":"system","subtype":"init","tools":"Bash","mcp_servers":[1,{"name":2},{"name":"konui","status":null}]}""")]
    [InlineData("""{"type":"system","subtype":"api_retry","attempt":"1","retry_delay_ms":1e308,"error_status":99999999999}""")]
    [InlineData("""{"type":"system","subtype":"status","status":{"nested":true}}""")]
    [InlineData("""{"type":"assistant","uuid":5,"message":{"id":5,"content":"text"}}""")]
    [InlineData("""{"type":"assistant","message":{"content":[1,"x",null,{"type":"tool_use","id":7,"input":"not an object"},{"type":"text","text":null}]}}""")]
    [InlineData("""{"type":"user","message":"x"}""")]
    [InlineData("""{"type":"user","message":{"content":null}}""")]
    [InlineData("""{"type":"user","message":{"content":[{"type":"tool_result","content":5,"is_error":"yes"}]}}""")]
    [InlineData("""{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":[1,{"type":"image"},{"type":"text"}]}]}}""")]
    [InlineData("""{"type":"result","subtype":["success"],"total_cost_usd":1e400,"duration_ms":-1.5,"num_turns":1e20,"errors":[1,{"a":2}],"modelUsage":[]}""")]
    [InlineData("""{"type":"stream_event","event":[]}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"message_start","message":7}}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_delta","index":"x","delta":{"type":"text_delta","text":5}}}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_delta","index":99999999999,"delta":{"type":"thinking_delta"}}}""")]
    public void A_line_of_the_wrong_shape_never_throws_and_what_it_gives_can_be_logged(string line)
    {
        var events = new StreamJsonParser().Parse(line);

        Assert.True(events.Count <= 5, $"{events.Count} events from one line");
        Assert.All(events, e => Assert.NotNull(TurnEventJson.Deserialize(TurnEventJson.Serialize(e))));
    }

    [Fact]
    public void A_line_with_half_an_escaped_surrogate_pair_does_not_throw()
    {
        var events = new StreamJsonParser().Parse("""{"type":"assistant","message":{"id":"m","content":[{"type":"text","text":"\ud83d"}]}}""");

        Assert.IsType<RawEvent>(Assert.Single(events));
    }
}
