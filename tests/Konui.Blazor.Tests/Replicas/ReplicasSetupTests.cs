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
}
