using System.Text;
using System.Text.Json;
using Konui.Core.Kontasks;

namespace Konui.Core.Tests.Kontasks;

/// <summary>
/// The index reads a line's summary straight from its bytes: whatever the line, it must agree with reading the full
/// kontask and summarizing that, the same values for a line both accept and a refusal for a line the full reader refuses.
/// </summary>
public sealed class KontaskIndexReaderTests
{
    private const string Base = "\"id\":\"kt_1\",\"title\":\"A title\"";

    public static TheoryData<string> Accepted => new()
    {
        Encoding.UTF8.GetString(KontaskJson.SerializeLine(Full())),
        "{\"title\":\"Reordered\",\"tags\":[\"b\",\"a\"],\"id\":\"kt_2\",\"status\":\"ready\",\"scope\":\"repo\"}",
        "{" + Base + ",\"description\":\"Quotes \\\" and a line\\nbreak, \\u00e9t\\u00e9 and \\ud83d\\ude00\",\"type\":\"re\\u0070ort\"}",
        "{" + Base + ",\"title\":\"The second title wins\",\"context\":{\"requestId\":\"req_a\"},\"context\":{\"output\":\"<p/>\"}}",
        "{" + Base + ",\"description\":null,\"type\":null,\"status\":null,\"scope\":null,\"tags\":null,\"context\":null,\"createdAt\":null,\"requestId\":null}",
        "{" + Base + ",\"unknown\":{\"deep\":[1,2,{\"x\":[true,null]}]},\"more\":[\"a\",{\"b\":1}],\"n\":-1.5e3,\"targetUser\":\"sam\"}",
        "{" + Base + ",\"tags\":[\"a\",null,\"b\",null]}",
        "{" + Base + ",\"tags\":[" + string.Join(',', Enumerable.Range(0, 45).Select(i => $"\"tag{i % 7}\"")) + "]}",
        "{" + Base + ",\"context\":{\"choices\":[null,{\"label\":\"Go\",\"value\":\"go\",\"primary\":true,\"extra\":[1]},{\"label\":null}]}}",
        "{" + Base + ",\"context\":{\"turnTiming\":{\"totalMs\":\"1200.5\",\"ttfeMs\":30,\"toolCallCount\":2,\"somethingNew\":{\"a\":1}}}}",
        "{" + Base + ",\"context\":{\"requestId\":\"req_context\",\"requestedAt\":\"2026-11-01T10:00:00Z\"}}",
        "{" + Base + ",\"requestId\":\"req_top\",\"context\":{\"requestId\":\"req_context\"}}",
        "{" + Base + ",\"createdAt\":\"2026-11-01T10:00:00+02:00\",\"updatedAt\":\"2026-11-02\"}",
        "{\"\\u0069d\":\"kt_escaped_name\",\"t\\u0069tle\":\"Escaped names\"}",
        "{" + Base + ",\"title\":\"" + string.Concat(Enumerable.Repeat("ab😀", 120)) + "\"}",
        "{" + Base + ",\"description\":\"" + string.Concat(Enumerable.Repeat("été 😀 ", 400)) + "\"}",
        "{" + Base + ",\"description\":\"" + new string('d', 299) + "😀" + new string('e', 5000) + "\"}",
        "{" + Base + ",\"status\":\"" + new string('s', 150) + "\",\"scope\":\"" + string.Concat(Enumerable.Repeat("ü", 120)) + "\"}",
        "{" + Base + ",\"requestId\":\"" + new string('r', 5000) + "\"}",
        "  {" + Base + "}  ",
        "{" + Base + ",\"context\":{\"output\":\"<p class=\\\"x\\\">a\\nb\\r\\t\\\\ \\/ \\b\\f \\u003Cdiv\\u003E \\ud83d\\ude00</p>\",\"requestId\":\"req_after\"}}",
        "{" + Base + ",\"context\":{\"output\" : \t \"" + string.Concat(Enumerable.Repeat("<li>été\\n</li>", 400)) + "\" ,\"choices\":[{\"label\":\"Go\"}]},\"status\":\"ready\"}",
        "{" + Base + ",\"context\":{\"output\":\"first\\n\",\"output\":\"second\\n\",\"output\":null,\"requestId\":\"req_dup\"}}",
        "{" + Base + ",\"context\":{\"output\":\"\"}}",
    };

    public static TheoryData<string> Refused => new()
    {
        "{\"id\":5,\"title\":\"a number for an id\"}",
        "{" + Base + ",\"title\":7}",
        "{" + Base + ",\"tags\":\"one\"}",
        "{" + Base + ",\"tags\":[1]}",
        "{" + Base + ",\"tags\":[" + string.Join(',', Enumerable.Range(0, 40).Select(i => $"\"t{i}\"")) + ",{}]}",
        "{" + Base + ",\"createdAt\":\"yesterday\"}",
        "{" + Base + ",\"createdAt\":20261101}",
        "{" + Base + ",\"context\":\"text\"}",
        "{" + Base + ",\"context\":{\"output\":5}}",
        "{" + Base + ",\"context\":{\"choices\":[{\"label\":7}]}}",
        "{" + Base + ",\"context\":{\"choices\":[{\"primary\":\"yes\"}]}}",
        "{" + Base + ",\"context\":{\"choices\":{}}}",
        "{" + Base + ",\"context\":{\"turnTiming\":{\"totalMs\":\"soon\"}}}",
        "{" + Base + ",\"context\":{\"requestedAt\":\"soon\"}}",
        "{" + Base + ",\"targetUser\":false}",
        "{" + Base + "} x",
        "{" + Base + "}{" + Base + "}",
        "[{" + Base + "}]",
        "\"kt_1\"",
        "{" + Base + ",\"title\":\"torn",
        "{" + Base + " /* a comment */}",
        "{" + Base + ",}",
        "{" + Base + ",\"context\":{\"output\":\"a\\n bad \\x escape\"}}",
        "{" + Base + ",\"context\":{\"output\":\"a\\n bad \\u12G4 hex\"}}",
        "{" + Base + ",\"context\":{\"output\":\"a\\n cut \\u12\"}}",
        "{" + Base + ",\"context\":{\"output\":\"a\\n raw\ttab\"}}",
        "{" + Base + ",\"context\":{\"output\":\"a\\n torn",
        "{" + Base + ",\"context\":{\"output\":\"a\\n\" \"b\"}}",
        "{" + Base + ",\"context\":{\"output\":\"a\\n\"}",
        "{" + Base + ",\"context\":{\"output\":\"a\\n\"}}}",
        "{" + Base + ",\"context\":{\"output\":\"a\\n\",}}",
    };

    public static TheoryData<string> WithoutId => new() { "null", "{}", "{\"id\":null}", "{\"id\":\"   \",\"title\":\"blank\"}", "{\"title\":\"no id\"}" };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void A_line_the_full_reader_accepts_gives_the_summary_of_the_full_kontask(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var full = KontaskJson.Deserialize(bytes)!;

        var indexed = new KontaskIndexReader().Read(bytes, 12, 3);

        Assert.NotNull(indexed);
        Assert.Equal(Json(KontaskSummary.From(full, 12, bytes.Length, 3)), Json(indexed));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_line_the_full_reader_refuses_is_refused(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Assert.ThrowsAny<JsonException>(() => KontaskJson.Deserialize(bytes));

        Assert.ThrowsAny<JsonException>(() => new KontaskIndexReader().Read(bytes, 0, 1));
    }

    [Theory]
    [MemberData(nameof(WithoutId))]
    public void A_line_without_an_id_has_no_summary(string line) =>
        Assert.Null(new KontaskIndexReader().Read(Encoding.UTF8.GetBytes(line), 0, 1));

    [Fact]
    public void Text_that_is_not_utf8_is_refused_wherever_it_is()
    {
        foreach (var field in new[] { "title", "description", "status", "scope", "targetUser" })
        {
            foreach (var length in new[] { 10, 5000 })
            {
                var line = Encoding.UTF8.GetBytes("{" + Base + $",\"{field}\":\"" + new string('a', length) + "\"}");
                line[line.Length - 3] = 0xFF;
                Assert.ThrowsAny<JsonException>(() => KontaskJson.Deserialize(line));
                Assert.ThrowsAny<JsonException>(() => new KontaskIndexReader().Read(line, 0, 1));
            }
        }
    }

    [Fact]
    public void Repeated_values_are_one_string_each()
    {
        var reader = new KontaskIndexReader();
        var line = Encoding.UTF8.GetBytes("{\"id\":\"a\",\"status\":\"ready\",\"tags\":[\"infra\"],\"createdBy\":\"claude\"}");

        var first = reader.Read(line, 0, 1)!;
        var second = reader.Read(line, 0, 2)!;

        Assert.Same(first.Status, second.Status);
        Assert.Same(first.Tags[0], second.Tags[0]);
        Assert.Same(first.CreatedBy, second.CreatedBy);
    }

    private static Kontask Full() => new()
    {
        Id = "kt_full",
        Type = "report",
        Status = "ready",
        Title = "Everything set",
        Description = "A description with \"quotes\" and <tags>.",
        CreatedBy = "claude",
        CreatedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        UpdatedAt = DateTimeOffset.Parse("2026-11-01T11:30:00+01:00", System.Globalization.CultureInfo.InvariantCulture),
        RequestId = "req_full",
        Scope = "repo",
        Tags = ["infra", "ci"],
        TargetUser = "sam",
        Context = new KontaskContext
        {
            Output = "<table><tr><td>1</td></tr></table>",
            RequestId = "req_context",
            Choices = [new KontaskChoice { Label = "Go", Value = "go", Primary = true }, new KontaskChoice { Label = "Stop", Value = "stop" }],
            TurnTiming = new TurnTiming { TotalMs = 1500, TtfeMs = 120, ToolCallCount = 3 },
        },
    };

    private static string Json(KontaskSummary summary) => JsonSerializer.Serialize(summary);
}
