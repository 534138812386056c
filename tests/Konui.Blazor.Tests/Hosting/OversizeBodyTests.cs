using System.Net;
using System.Text;
using System.Text.Json;
using Konui.Testing;

namespace Konui.Blazor.Tests.Hosting;

/// <summary>A body over the limit on /mcp or /api gets 413 and a message saying the limit, and Konui goes on.</summary>
public sealed class OversizeBodyTests(OversizeBodyTests.RunningApp app) : IClassFixture<OversizeBodyTests.RunningApp>
{
    private const int Over = 31_000_000;

    public sealed class RunningApp : IAsyncLifetime
    {
        public KonuiProcess Konui { get; private set; } = null!;

        public async Task InitializeAsync() => Konui = await KonuiProcess.StartAsync();

        public Task DisposeAsync() => Konui.DisposeAsync().AsTask();
    }

    private static byte[] OversizeCall()
    {
        var head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"konui_create_task\",\"arguments\":{\"title\":\"big\",\"description\":\""u8;
        var tail = "\"}}}"u8;
        var body = new byte[head.Length + Over + tail.Length];
        head.CopyTo(body);
        body.AsSpan(head.Length, Over).Fill((byte)'a');
        tail.CopyTo(body.AsSpan(head.Length + Over));
        return body;
    }

    [Theory]
    [InlineData("/mcp", true)]
    [InlineData("/mcp", false)]
    [InlineData("/api/admin/broadcast", true)]
    [InlineData("/api/admin/broadcast", false)]
    public async Task A_body_over_the_limit_gets_413_with_a_message(string endpoint, bool withLength)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.Konui.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var body = OversizeCall();
        using HttpContent content = withLength ? new ByteArrayContent(body) : new StreamContent(new UnsizedStream(body));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("over the limit of 30 MB", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);

        using var after = await http.PostAsync("/api/admin/broadcast", new StringContent("""{"message":"still here"}""", Encoding.UTF8, "application/json"));
        Assert.True(after.IsSuccessStatusCode, $"Konui answers after an oversize body: {after.StatusCode}");
    }

    [Theory]
    [InlineData(70_000_000, HttpStatusCode.RequestEntityTooLarge, "over 64 MB")]
    [InlineData(40_000_000, HttpStatusCode.BadRequest, "the limit is 5 MB")]
    public async Task Konsole_keeps_its_own_larger_limit_for_a_turn_s_images(int imageBytes, HttpStatusCode status, string message)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.Konui.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var body = Encoding.UTF8.GetBytes("{\"prompt\":\"look\",\"images\":[{\"mediaType\":\"image/png\",\"base64\":\"" + new string('A', imageBytes) + "\"}]}");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        using var response = await http.PostAsync("/api/konsole/turns", content);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A body whose length is not known up front, so it goes chunked.</summary>
    private sealed class UnsizedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
