using System.Collections.Concurrent;
using Konui.Blazor.Console;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests;

/// <summary>
/// Several konsoles on several "machines" for a component test: each a <see cref="FakeKonsole"/> at its own host
/// (local's is http://konsole.test/, another's http://NAME.test/), reached through one client factory that routes by
/// host and records the Authorization each machine was asked with. Any other host (a push service) is local's fake,
/// as it was before there were machines.
/// </summary>
public sealed class FakeMachines : HttpMessageHandler, IHttpClientFactory
{
    private readonly ConcurrentDictionary<string, FakeKonsole> _byHost = new(StringComparer.OrdinalIgnoreCase);
    private readonly FakeKonsole _local;

    public FakeMachines(FakeKonsole local) => _local = _byHost["konsole.test"] = local;

    /// <summary>The Authorization header of each request, by host ("" when none).</summary>
    public ConcurrentQueue<(string Host, string Authorization)> Asked { get; } = new();

    /// <summary>Registers a machine named <paramref name="name"/> (at http://NAME.test/, with the token when given) served by <paramref name="konsole"/>.</summary>
    public KonsoleHost Add(string name, FakeKonsole konsole, string? token = null)
    {
        _byHost[$"{name}.test"] = konsole;
        return new KonsoleHost { Name = name, Url = $"http://{name}.test/", AccessToken = token };
    }

    /// <summary>Registers the factory and the machines (beside local) in a component test's services.</summary>
    public void Register(IServiceCollection services, params KonsoleHost[] hosts)
    {
        services.AddSingleton<IHttpClientFactory>(this);
        foreach (var host in hosts) services.AddSingleton(host);
    }

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var host = request.RequestUri!.Host;
        Asked.Enqueue((host, request.Headers.Authorization?.ToString() ?? ""));
        using var konsole = new HttpMessageInvoker(_byHost.GetValueOrDefault(host, _local), disposeHandler: false);
        return await konsole.SendAsync(request, cancellationToken);
    }
}
