using System.Net;
using Konui.Blazor.Security;
using Konui.Core.Konsole;
using Konui.Testing;

namespace Konui.Blazor.Tests.Security;

/// <summary>
/// Guessing the access token over HTTP, on the sign-in page and as a bearer header: after a few failures the client
/// is made to wait (429 with Retry-After) without its tries being looked at, and every failure is logged, never the
/// token. Its own Konui, since the client it slows down is this test's loopback address.
/// </summary>
public sealed class SignInThrottleHttpTests : IAsyncLifetime
{
    private const string Token = "the one right token";
    private KonuiProcess _konui = null!;

    public async Task InitializeAsync() =>
        _konui = await KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konui__AccessToken"] = Token });

    public Task DisposeAsync() => _konui.DisposeAsync().AsTask();

    private HttpClient Client() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(_konui.BaseUrl) };

    private static FormUrlEncodedContent SignIn(string token) => new(new Dictionary<string, string> { ["token"] = token, ["returnUrl"] = "/" });

    [Fact]
    public async Task A_burst_of_wrong_tokens_is_slowed_down_logged_and_the_right_token_waits_too()
    {
        using var http = Client();
        var answers = new List<(HttpStatusCode Status, TimeSpan At)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; answers.Count(a => a.Status == HttpStatusCode.Unauthorized) < 6 && clock.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            if (answers.Count > 0 && answers[^1].Status == HttpStatusCode.TooManyRequests) await Task.Delay(20);
            using var response = await http.PostAsync("/signin", SignIn($"guess-number-{i}"));
            answers.Add((response.StatusCode, clock.Elapsed));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a throttled sign-in says when to try again");
                Assert.Contains("Too many wrong tokens", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        // The sixth failure makes the client wait 4 s: the right token, at once, is not even looked at; nor is a bearer.
        using var right = await http.PostAsync("/signin", SignIn(Token));
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/konsole/status");
        bearer.Headers.Authorization = new("Bearer", "another-guess");
        using var api = await http.SendAsync(bearer);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            answers.Take(4).Select(a => a.Status));
        Assert.All(answers, a => Assert.Contains(a.Status, (HttpStatusCode[])[HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests]));
        var looked = answers.Where(a => a.Status == HttpStatusCode.Unauthorized).Select(a => a.At).ToList();
        Assert.True(looked[4] - looked[3] >= TimeSpan.FromSeconds(0.9), $"the fifth try was looked at {looked[4] - looked[3]} after the fourth");
        Assert.True(looked[5] - looked[4] >= TimeSpan.FromSeconds(1.9), $"the sixth try was looked at {looked[5] - looked[4]} after the fifth");
        Assert.Contains(answers, a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.False(right.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);

        var failures = await WaitForLogLines("A wrong access token from 127.0.0.1", 6);
        Assert.Contains(failures, line => line.Contains("6 in a row", StringComparison.Ordinal));
        Assert.DoesNotContain(_konui.Output, line => line.Contains("guess-number", StringComparison.Ordinal) || line.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_bearer_tokens_count_as_failures_too()
    {
        using var http = Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/konsole/status");
            request.Headers.Authorization = new("Bearer", $"guess-number-{i}");
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(4));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task The_clis_mcp_token_goes_through_while_a_guesser_on_the_same_machine_waits_and_does_not_forgive_it()
    {
        using var http = Client();
        for (var i = 0; i < SignInThrottle.FreeFailures + 1; i++)
        {
            using var wrong = await http.PostAsync("/signin", SignIn($"guess-number-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var tools = await http.SendAsync(WithBearer(HttpMethod.Post, "/mcp", McpToken.From(Token)));
        // Had the CLI's call forgiven the guesser, its next two guesses would both be looked at, free; as it is, the
        // second waits (the first too, unless the machine was slow enough for its 1 s wait to pass).
        using var guess = await http.PostAsync("/signin", SignIn("guess-after-the-cli"));
        using var another = await http.PostAsync("/signin", SignIn("another-guess-after-the-cli"));

        Assert.NotEqual(HttpStatusCode.TooManyRequests, tools.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, tools.StatusCode);
        Assert.Contains(guess.StatusCode, (HttpStatusCode[])[HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests]);
        Assert.Equal(HttpStatusCode.TooManyRequests, another.StatusCode);
    }

    [Fact]
    public async Task The_clis_mcp_token_opens_nothing_but_mcp_and_signs_no_one_in()
    {
        using var http = Client();
        var mcpToken = McpToken.From(Token);

        using var konsole = await http.SendAsync(WithBearer(HttpMethod.Get, "/api/konsole/status", mcpToken));
        using var reports = await http.SendAsync(WithBearer(HttpMethod.Get, "/api/reports", mcpToken));
        using var page = await http.SendAsync(WithBearer(HttpMethod.Get, "/kontasks", mcpToken));
        using var signIn = await http.PostAsync("/signin", SignIn(mcpToken));

        Assert.Equal(HttpStatusCode.Unauthorized, konsole.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, reports.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.False(signIn.Headers.Contains("Set-Cookie"));
        Assert.NotEqual(Token, mcpToken);
    }

    private static HttpRequestMessage WithBearer(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    private async Task<List<string>> WaitForLogLines(string text, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = _konui.Output.Where(line => line.Contains(text, StringComparison.Ordinal)).ToList();
            if (lines.Count >= count || DateTime.UtcNow > deadline) return lines;
            await Task.Delay(50);
        }
    }
}
