using System.Net;
using System.Text;
using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Core.Tests.Konsole;

public sealed class KonsoleClientTests
{
    private sealed class Sse(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/event-stream") });
    }

    [Fact]
    public async Task An_event_of_a_kind_this_konui_does_not_know_comes_out_raw_in_its_place_and_the_stream_goes_on()
    {
        var body = "retry: 1000\n\n"
            + "id: 1\nevent: turn_start\ndata: {\"type\":\"turn_start\",\"turnId\":\"t\",\"sessionId\":\"s\",\"requestId\":\"r\",\"prompt\":\"p\",\"imageCount\":0,\"seq\":1}\n\n"
            + ": keep-alive\n\n"
            + "id: 2\nevent: hologram\ndata: {\"type\":\"hologram\",\"seq\":2}\n\n"
            + "id: 3\nevent: turn_end\ndata: {\"type\":\"turn_end\",\"success\":true,\"seq\":3}\n\n";
        var client = new KonsoleClient(new HttpClient(new Sse(body)) { BaseAddress = new Uri("http://konsole.test/") });

        var events = new List<TurnEvent>();
        await foreach (var e in client.ReadEventsAsync("t")) events.Add(e);

        Assert.Equal(["turn_start", "raw", "turn_end"], events.Select(TurnEventJson.TypeName));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Seq));
        Assert.Contains("hologram", ((RawEvent)events[1]).Text, StringComparison.Ordinal);
    }
}
