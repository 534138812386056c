using Konui.Blazor.Replicas;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests.Replicas;

/// <summary>Without Konui:Redis, nothing of Redis is registered: Konui runs as it did.</summary>
public sealed class ReplicasSetupTests
{
    private static WebApplicationBuilder Builder(string? redis)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = Path.GetTempPath() });
        if (redis is not null) builder.Configuration["Konui:Redis"] = redis;
        return builder;
    }

    private static bool FromRedis(ServiceDescriptor service) =>
        new[] { service.ServiceType, service.ImplementationType, service.ImplementationInstance?.GetType() }
            .Any(type => type?.Assembly.GetName().Name is "StackExchange.Redis" or "Microsoft.AspNetCore.DataProtection.StackExchangeRedis"
                || (type?.Namespace == typeof(RedisStatus).Namespace && type != typeof(RedisStatus)));

    [Fact]
    public void Without_Konui_Redis_only_a_status_saying_so_is_registered()
    {
        var builder = Builder(redis: null);
        var before = builder.Services.Count;

        builder.AddReplicas();

        var added = builder.Services.Skip(before).ToList();
        var status = Assert.Single(added);
        Assert.Equal(typeof(RedisStatus), status.ServiceType);
        Assert.False(((RedisStatus)status.ImplementationInstance!).Enabled);
        Assert.DoesNotContain(builder.Services, FromRedis);
    }

    [Theory]
    [InlineData("127.0.0.1:6379,passwrd=hunter2", "Keyword 'passwrd' is not supported")]
    [InlineData(",,password=hunter2", "Konui:Redis names no Redis server")]
    public async Task A_Konui_Redis_that_is_no_connection_string_stops_the_start_with_a_clear_error_that_does_not_repeat_it(string redis, string expected)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Konui.Testing.KonuiProcess.StartAsync(new Dictionary<string, string> { ["Konui__Redis"] = redis }));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.Message, StringComparison.Ordinal);
    }
}
