using Konui.Blazor.Components.Time;
using Radzen;

namespace Konui.Blazor.Components;

public static class ComponentsExtensions
{
    /// <summary>Interactive Server components, Radzen, and the per-circuit services the pages share.</summary>
    public static IServiceCollection AddKonuiComponents(this IServiceCollection services)
    {
        // A pasted image (up to 5 MB, sent as base64) and a long prompt travel over the circuit: 32 KB is not enough.
        services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(hub => hub.MaximumReceiveMessageSize = 16 * 1024 * 1024);
        services.AddRadzenComponents();
        services.AddScoped<ViewerClock>();
        services.AddSingleton<Pages.Dashboard.AssistantMarkdown>();
        return services;
    }
}
