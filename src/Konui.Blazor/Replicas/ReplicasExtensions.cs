using Konui.Blazor.Console;
using Konui.Blazor.Hosting;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using StackExchange.Redis;

namespace Konui.Blazor.Replicas;

public static class ReplicasExtensions
{
    /// <summary>
    /// With Konui:Redis set, this Konui is one replica of several sharing one Redis: the kontask feed, turn events,
    /// broadcasts, the data-protection keys and the konsoles' announcements. Without it, only a <see cref="RedisStatus"/>
    /// saying so is registered and nothing of Redis is loaded.
    /// </summary>
    public static WebApplicationBuilder AddReplicas(this WebApplicationBuilder builder)
    {
        var konui = builder.Configuration.GetSection(KonuiOptions.Section).Get<KonuiOptions>() ?? new KonuiOptions();
        if (string.IsNullOrWhiteSpace(konui.Redis))
        {
            builder.Services.AddSingleton(new RedisStatus());
            return builder;
        }
        if (Problem(konui.Redis) is { } problem)
        {
            global::System.Console.Error.WriteLine(problem);
            Environment.Exit(2);
        }
        var ownUrl = KonsoleConnection.LoopbackUrl(builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? KonuiOptions.DefaultUrl);
        var name = string.IsNullOrWhiteSpace(konui.ReplicaName) ? $"{Environment.MachineName}:{new Uri(ownUrl).Port}" : konui.ReplicaName;
        var url = string.IsNullOrWhiteSpace(konui.ReplicaUrl) ? ownUrl : konui.ReplicaUrl.TrimEnd('/');
        var dataDir = konui.ResolveDataDir(builder.Environment.ContentRootPath);
        var connectionString = konui.Redis;

        var services = builder.Services;
        services.AddSingleton(new RedisStatus { Enabled = true, ReplicaName = name });
        services.AddSingleton(sp => new RedisLink(connectionString, sp.GetRequiredService<RedisStatus>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedisLink>>()));
        services.AddSingleton<RedisOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisOutbox>());
        services.AddHostedService(sp => new KontaskFeed(sp.GetRequiredService<RedisLink>(), sp.GetRequiredService<RedisOutbox>(),
            sp.GetRequiredService<EventBus>(), sp.GetRequiredService<KontaskStore>(), dataDir,
            sp.GetRequiredService<ILogger<KontaskFeed>>(), sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted));
        services.AddHostedService<BroadcastRelay>();
        services.AddHostedService<TurnEventRelay>();
        services.AddHostedService(sp => new ReplicaKonsoles(sp.GetRequiredService<RedisLink>(), sp.GetRequiredService<RedisStatus>(), url,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ReplicaKonsoles>>()));
        services.AddHostedService(sp => new ReplicaMachines(sp.GetRequiredService<RedisStatus>(), sp.GetRequiredService<Konsoles>(), konui.AccessToken,
            sp.GetRequiredService<ILogger<ReplicaMachines>>()));
        services.AddDataProtection().SetApplicationName("Konui");
        services.AddSingleton(sp => new SharedKeyRing(sp.GetRequiredService<RedisLink>(), sp.GetRequiredService<RedisOutbox>(),
            Path.Combine(dataDir, "data-protection-keys.xml"), sp.GetRequiredService<ILogger<SharedKeyRing>>()));
        services.AddOptions<KeyManagementOptions>().Configure<SharedKeyRing>((options, keys) => options.XmlRepository = keys);
        return builder;
    }

    /// <summary>What is wrong with a Konui:Redis value, in words (never repeating the value: it may hold a password); null when it will do.</summary>
    private static string? Problem(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count > 0 ? null
                : "Konui:Redis names no Redis server: give host:port first, then options, e.g. \"redis.internal:6379,password=...\".";
        }
        catch (ArgumentException ex)
        {
            return $"Konui:Redis is not a StackExchange.Redis connection string: {ex.Message} Give host:port first, then options, e.g. \"redis.internal:6379,password=...\".";
        }
    }
}
