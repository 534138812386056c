using Konui.Blazor.Components.Decisions;
using Konui.Blazor.Components.Time;
using MudBlazor.Services;

namespace Konui.Blazor.Components;

public static class ComponentsExtensions
{
    /// <summary>Interactive Server components, and the services the pages share.</summary>
    public static IServiceCollection AddKonuiComponents(this IServiceCollection services)
    {
        // A pasted image (up to 5 MB, sent as base64) and a long prompt travel over the circuit: 32 KB is not enough.
        services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(hub => hub.MaximumReceiveMessageSize = 16 * 1024 * 1024);
        return services.AddKonuiPages();
    }

    /// <summary>What the pages use besides Blazor itself: the component library, the viewer's clock and device (one per circuit).</summary>
    public static IServiceCollection AddKonuiPages(this IServiceCollection services)
    {
        services.AddMudServices();
        services.AddScoped<ViewerClock>();
        services.AddSingleton<Pages.Dashboard.AssistantMarkdown>();
        services.AddScoped<ViewerDevice>();
        return services;
    }
}
