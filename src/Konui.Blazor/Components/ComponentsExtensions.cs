using Konui.Blazor.Components.Time;
using Radzen;

namespace Konui.Blazor.Components;

public static class ComponentsExtensions
{
    /// <summary>Interactive Server components, Radzen, and the per-circuit services the pages share.</summary>
    public static IServiceCollection AddKonuiComponents(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        services.AddScoped<ViewerClock>();
        return services;
    }
}
