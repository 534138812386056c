using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using Konui.Blazor.Components.Time;
using Konui.Blazor.Console;
using Konui.Blazor.Konsole;
using Konui.Core.Konsole;
using Konui.Blazor.Reports;
using Radzen;
using Konui.Core.Events;
using Konui.Core.Kontasks;
using Microsoft.Extensions.DependencyInjection;

namespace Konui.Blazor.Tests;

/// <summary>
/// What every component test shares: a real kontask store over a fresh kontasks.jsonl, the event bus, a fixed clock
/// and a viewer in Europe/Berlin (so "local time" is visibly not UTC).
/// </summary>
public abstract class KonuiComponentTest : BunitContext
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-02T12:00:00Z", CultureInfo.InvariantCulture);

    /// <summary>Renders that go through the console's 33 ms coalescing on a busy 2-core machine need more than bUnit's 1 s.</summary>
    static KonuiComponentTest() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(5);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "konui-bunit-" + Guid.NewGuid().ToString("N"));

    /// <param name="configure">Services a test class adds; they must all be registered before the renderer starts.</param>
    protected KonuiComponentTest(Action<IServiceCollection>? configure = null)
    {
        Directory.CreateDirectory(_directory);
        Bus = new EventBus();
        Store = new KontaskStore(new KontaskStoreOptions(Path.Combine(_directory, "kontasks.jsonl")), Bus);
        Store.Start();
        var clock = new ViewerClock(new FixedTime(Now));
        clock.UseZone("Europe/Berlin");
        Services.AddSingleton(Bus);
        Services.AddSingleton(Store);
        Services.AddSingleton(clock);
        Services.AddSingleton<TimeProvider>(new FixedTime(Now));
        Services.AddSingleton<IHttpClientFactory>(Konsole);
        Services.AddSingleton(new KonsoleClient(Konsole.CreateClient(nameof(KonsoleClient))));
        Services.AddSingleton<KonsoleWatch>();
        Services.AddScoped<ConsoleSession>();
        Services.AddLogging();
        Services.AddRadzenComponents();
        Services.AddTransient<UsageReports>();
        Services.AddSingleton<Konui.Blazor.Components.Pages.Dashboard.AssistantMarkdown>();
        configure?.Invoke(Services);
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>(_ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Width = 800, Height = 300 });
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected EventBus Bus { get; }

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

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Store.Dispose();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
