using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using Konui.Blazor.Components.Time;
using Konui.Blazor.Console;
using Konui.Core.Konsole;
using Konui.Blazor.Components;
using Konui.Blazor.Hosting;
using Konui.Blazor.Kontasks;
using Konui.Blazor.Notifications;
using Konui.Blazor.Replicas;
using Konui.Blazor.Reports;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Konui.Blazor.Tests;

/// <summary>
/// What every component test shares: a real kontask store over a fresh kontasks.jsonl, the event bus, a fixed clock
/// and a viewer in Europe/Berlin (so "local time" is visibly not UTC).
/// </summary>
public abstract class KonuiComponentTest : BunitContext, IDisposable
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-02T12:00:00Z", CultureInfo.InvariantCulture);

    /// <summary>Renders that go through the console's 33 ms coalescing on a busy 2-core machine need more than bUnit's 1 s.</summary>
    static KonuiComponentTest() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(5);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "konui-bunit-" + Guid.NewGuid().ToString("N"));

    /// <param name="configure">Services a test class adds; they must all be registered before the renderer starts.</param>
    protected KonuiComponentTest(Action<IServiceCollection>? configure = null)
    {
        Directory.CreateDirectory(_directory);
        // The app's own registrations, as Program.cs makes them; then what a test replaces: konsole (a fake behind the
        // real KonsoleClient), the data folder, the clock, and a viewer in Berlin.
        Services.AddKontasks().AddConsole().AddNotifications().AddReports().AddKonuiPages();
        Services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = _directory });
        Services.Configure<KonuiOptions>(options => options.DataDir = _directory);
        Services.AddSingleton<TimeProvider>(new FixedTime(Now));
        Services.AddScoped(sp =>
        {
            var clock = new ViewerClock(sp.GetRequiredService<TimeProvider>());
            clock.UseZone("Europe/Berlin");
            return clock;
        });
        var machines = new FakeMachines(Konsole);
        Services.AddSingleton<IHttpClientFactory>(machines);
        Services.AddSingleton(new KonsoleHost { Name = Konsoles.LocalName, Url = "http://konsole.test/" });
        foreach (var host in OtherMachines(machines)) Services.AddSingleton(host);
        Services.AddLogging();
        Services.AddSingleton(Redis);
        configure?.Invoke(Services);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Bus = Services.GetRequiredService<EventBus>();
        Store = Services.GetRequiredService<KontaskStore>();
        Store.Start();
    }

    protected EventBus Bus { get; }

    /// <summary>
    /// The konsoles beside "local" (none: Konui drives one machine, as by default). Called from the constructor: a test
    /// class serves them with fakes of its own, made in field initializers.
    /// </summary>
    protected virtual IEnumerable<KonsoleHost> OtherMachines(FakeMachines machines) => [];

    /// <summary>Redis as the status bar hears of it: this Konui is replica "b" of those sharing one Redis.</summary>
    protected RedisStatus Redis { get; } = new() { Enabled = true, ReplicaName = "b" };

    protected FakeKonsole Konsole { get; } = new();

    protected KontaskStore Store { get; }

    protected BunitNavigationManager Navigation => Services.GetRequiredService<BunitNavigationManager>();

    protected Kontask Add(string id, string title, DateTimeOffset createdAt, Action<Kontask>? shape = null)
    {
        var kontask = new Kontask { Id = id, Title = title, CreatedAt = createdAt, UpdatedAt = createdAt };
        shape?.Invoke(kontask);
        Store.Append(kontask);
        return kontask;
    }

    /// <summary>MudBlazor's services can only be disposed of asynchronously: xunit's Dispose goes through DisposeAsync.</summary>
    void IDisposable.Dispose()
    {
        Task.Run(async () => await DisposeAsync()).GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore(); // the services go with it, the store included
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
