using System.Net;
using System.Net.Http.Json;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Tests.Turns;

/// <summary>Bad input gets a clear answer and changes nothing; the service stays up through all of it.</summary>
public sealed class KonsoleApiTests(KonsoleApiTests.QuickKeepAlive fixture) : IClassFixture<KonsoleApiTests.QuickKeepAlive>
{
    public sealed class QuickKeepAlive : IAsyncLifetime
    {
        public KonuiWithClaude Rig { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Rig = await KonuiWithClaude.StartAsync(settings: new Dictionary<string, string> { ["Konsole__KeepAlive"] = "00:00:00.300" });

        public Task DisposeAsync() => Rig is null ? Task.CompletedTask : Rig.DisposeAsync().AsTask();
    }

    private KonuiWithClaude Rig => fixture.Rig;

    private HttpClient Http() => new() { BaseAddress = new Uri(Rig.Konui.BaseUrl + "/api/konsole/") };

    private static string Png(int size)
    {
        var bytes = new byte[size];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return Convert.ToBase64String(bytes);
    }

    public static TheoryData<string, HttpStatusCode, string> BadTurns() => new()
    {
        { """{"prompt":"   "}""", HttpStatusCode.BadRequest, "The prompt is empty" },
        { """{"prompt":""" + "\"" + new string('x', 1024 * 1024 + 1) + "\"}", HttpStatusCode.RequestEntityTooLarge, "the limit is 1 MB" },
        { """{"prompt":"hi","images":[{"mediaType":"image/bmp","base64":"Qk0eAAAAAAAAABoAAAAMAAAAAQABAAEAGAAAAP8A"}]}""", HttpStatusCode.BadRequest, "image 1 is not a PNG, JPEG, GIF or WebP image" },
        { """{"prompt":"hi","images":[{"mediaType":"image/png","base64":"not base64!"}]}""", HttpStatusCode.BadRequest, "image 1 is not valid base64" },
        { """{"prompt":"hi","images":[{"mediaType":"image/jpeg","base64":"iVBORw0KGgoAAAAA"}]}""", HttpStatusCode.BadRequest, "image 1 says it is image/jpeg but its bytes are image/png" },
        { """{"prompt":"hi","sessionId":"not-a-uuid"}""", HttpStatusCode.BadRequest, "sessionId must be a UUID" },
        { """{"prompt":"hi","requestId":"has spaces"}""", HttpStatusCode.BadRequest, "requestId must be" },
        { """{"prompt":""", HttpStatusCode.BadRequest, "The body must be JSON" },
    };

    [Theory]
    [MemberData(nameof(BadTurns))]
    public async Task A_bad_turn_request_is_refused_with_the_reason_and_starts_nothing(string body, HttpStatusCode status, string reason)
    {
        using var http = Http();
        var sessionsBefore = (await Rig.Konsole.GetSessionsAsync()).Count;

        using var response = await http.PostAsync("turns", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<KonsoleError>(KonsoleJson.Options))!.Error, StringComparison.Ordinal);
        Assert.Equal(sessionsBefore, (await Rig.Konsole.GetSessionsAsync()).Count);
        Assert.True((await Rig.Konsole.GetStatusAsync()).Cli.Found);
    }

    [Fact]
    public async Task An_image_over_5_MB_is_refused_and_one_under_is_sent_to_claude()
    {
        using var http = Http();
        using var big = await http.PostAsJsonAsync("turns", new TurnRequest("look", Images: [new TurnImage("image/png", Png(5 * 1024 * 1024 + 1))]), KonsoleJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Contains("the limit is 5 MB", (await big.Content.ReadFromJsonAsync<KonsoleError>(KonsoleJson.Options))!.Error, StringComparison.Ordinal);

        Rig.Model.SetScript(_ => ModelReply.Text("I see a picture."));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("look", Images: [new TurnImage("image/png", Png(64))]));
        var events = await Rig.ReadAllAsync(turn.TurnId);
        Assert.True(Assert.IsType<TurnEnd>(events[^1]).Success);
        Assert.Equal(1, Assert.IsType<TurnStart>(events[0]).ImageCount);
        Assert.Contains("\"type\":\"image\"", Rig.Model.Requests[^1].RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_turns_are_404_and_a_malformed_last_event_id_is_400()
    {
        using var http = Http();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("turns/turn_nope/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("turns/turn_nope/stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("turns/turn_nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"sessions/{Guid.NewGuid()}/turns")).StatusCode);

        Rig.Model.SetScript(_ => ModelReply.Text("ok"));
        var (turn, _) = await Rig.RunAsync("hello");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"turns/{turn.TurnId}/events");
        request.Headers.Add("Last-Event-ID", "three");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Last-Event-ID", (await response.Content.ReadFromJsonAsync<KonsoleError>(KonsoleJson.Options))!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_turn_while_one_runs_is_409_naming_the_running_turn()
    {
        Rig.Model.SetScript(_ => ModelReply.Text("slow slow slow slow", chunks: 4, delayBetweenChunks: TimeSpan.FromMilliseconds(500)));
        var running = await Rig.Konsole.StartTurnAsync(new TurnRequest("take your time"));

        var refused = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.StartTurnAsync(new TurnRequest("me too", running.SessionId)));
        var shouted = await Assert.ThrowsAsync<KonsoleException>(() => Rig.Konsole.StartTurnAsync(new TurnRequest("me too", "{" + running.SessionId.ToUpperInvariant() + "}")));

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(running.TurnId, refused.RunningTurnId);
        Assert.Equal(running.TurnId, shouted.RunningTurnId);
        var status = await Rig.Konsole.GetStatusAsync();
        var active = Assert.Single(status.ActiveTurns, t => t.TurnId == running.TurnId);
        Assert.True(active.ElapsedMs >= 0);
        Assert.True(Assert.IsType<TurnEnd>((await Rig.ReadAllAsync(running.TurnId))[^1]).Success);
        Assert.DoesNotContain((await Rig.Konsole.GetStatusAsync()).ActiveTurns, t => t.TurnId == running.TurnId);
    }

    [Fact]
    public async Task A_quiet_stream_sends_keep_alive_comments()
    {
        Rig.Model.SetScript(_ => ModelReply.Text("late").WithInitialDelay(TimeSpan.FromSeconds(1.5)));
        var turn = await Rig.Konsole.StartTurnAsync(new TurnRequest("wait for it"));
        using var http = Http();
        using var response = await http.GetAsync($"turns/{turn.TurnId}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains(": keep-alive", body, StringComparison.Ordinal);
        Assert.Contains("event: turn_end", body, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        Assert.Contains("id: 1\nevent: turn_start\ndata: {\"type\":\"turn_start\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_reports_the_cli_and_its_version()
    {
        var status = await Rig.Konsole.GetStatusAsync();

        Assert.True(status.Cli.Found);
        Assert.Contains(Konui.Testing.ClaudeCli.Version, status.Cli.Version, StringComparison.Ordinal);
        Assert.Null(status.Cli.Error);
    }

    [Theory]
    [InlineData("telemetry", "Give the range as from=...&to=...")]
    [InlineData("telemetry?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from before to")]
    [InlineData("telemetry?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&zone=Mars/Olympus", "There is no time zone \"Mars/Olympus\"")]
    public async Task A_bad_telemetry_request_is_400_with_what_to_give(string path, string reason)
    {
        using var http = Http();

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<KonsoleError>(KonsoleJson.Options))!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telemetry_counts_a_sessions_turns_with_the_clis_tokens_and_cost_in_the_viewers_days()
    {
        Rig.Model.SetScript(_ => ModelReply.Text("Counted."));
        var (first, _) = await Rig.RunAsync("Count the open issues.");
        await Rig.RunAsync("And the closed ones?", first.SessionId);
        var (other, _) = await Rig.RunAsync("Something else entirely.");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati");
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var from = to.AddDays(-7);

        var session = await Rig.Konsole.GetTelemetryAsync(from, to, zone, first.SessionId);
        var all = await Rig.Konsole.GetTelemetryAsync(from, to, zone);
        var before = await Rig.Konsole.GetTelemetryAsync(from.AddDays(-7), from, zone);

        var turns = (await Rig.Konsole.GetTurnsAsync(from, to)).Where(t => t.SessionId == first.SessionId).ToList();
        Assert.Equal(2, turns.Count);
        Assert.Equal(2, session.Turns);
        Assert.Equal(2, session.Succeeded);
        Assert.Equal(turns.Sum(t => t.CostUsd ?? 0), session.TotalCostUsd, 9);
        Assert.True(session.TotalTokens > 0, "The session's turns reported no tokens.");
        Assert.Equal(turns.Sum(t => t.Usage!.InputTokens + t.Usage.OutputTokens + t.Usage.CacheCreationInputTokens + t.Usage.CacheReadInputTokens), session.TotalTokens);
        var day = Assert.Single(session.Buckets);
        Assert.Equal(TimeZoneInfo.ConvertTime(turns[0].StartedAt, zone).Date, day.Start);
        Assert.True(all.Turns >= 3, $"All sessions counted {all.Turns} turns; three were just run.");
        Assert.Equal(1, (await Rig.Konsole.GetTelemetryAsync(from, to, zone, other.SessionId)).Turns);
        Assert.Equal(0, before.Turns);
    }
}
