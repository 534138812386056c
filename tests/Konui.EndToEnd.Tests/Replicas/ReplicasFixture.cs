using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests.Replicas;

/// <summary>
/// Two Konui replicas (A and B, each with its embedded konsole running the real CLI against its own scripted model)
/// on one real redis-server, sharing one access token, and one desktop browser signed in to neither yet.
/// </summary>
public sealed class ReplicasFixture : IAsyncLifetime
{
    public const string Token = "replica-test-token-7f3a9c";

    private RedisServer? _redis;
    private KonuiWithClaude? _a;
    private KonuiWithClaude? _b;
    private Browser? _browser;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Redis has not started.");

    public KonuiWithClaude A => _a ?? throw new InvalidOperationException("Replica A has not started.");

    public KonuiWithClaude B => _b ?? throw new InvalidOperationException("Replica B has not started.");

    public Browser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var browser = Task.Run(() => Browser.Start());
        _a = await KonuiWithClaude.StartAsync(settings: Settings("a"), accessToken: Token);
        _b = await KonuiWithClaude.StartAsync(settings: Settings("b"), accessToken: Token);
        _browser = await browser;
    }

    private Dictionary<string, string> Settings(string name) => new()
    {
        ["Konui__Redis"] = Redis.ConnectionString,
        ["Konui__ReplicaName"] = name,
    };

    /// <summary>Signs the browser in on <paramref name="replica"/>'s sign-in page (the cookie then goes to every replica on this host).</summary>
    public async Task SignInAsync(KonuiWithClaude replica)
    {
        Browser.Driver.Manage().Cookies.DeleteAllCookies();
        Browser.Driver.Navigate().GoToUrl(replica.Konui.BaseUrl + "/signin");
        Browser.Driver.FindElement(By.Id("token")).SendKeys(Token);
        Browser.Driver.FindElement(By.CssSelector("button[type=submit]")).Click();
        await Browser.WaitForAsync(() => new Uri(Browser.Driver.Url).AbsolutePath == "/signin" ? null : "signed in", Browser.PageTimeout, "the sign-in to go through");
    }

    /// <summary>An HTTP client for a replica's API, with the shared token.</summary>
    public static HttpClient Api(KonuiWithClaude replica)
    {
        var http = replica.Konui.NewHttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        if (_b is not null) await _b.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
