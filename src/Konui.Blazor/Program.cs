using Konui.Blazor.Components;
using Konui.Blazor.Hosting;
using Konui.Blazor.Kontasks;
using Konui.Blazor.Mcp;

var builder = WebApplication.CreateBuilder(args);
builder.AddKonuiHosting();
builder.Services.AddKontasks().AddKonuiMcp().AddKonuiComponents();

var app = builder.Build();
app.UseKonuiHosting();
app.MapStaticAssets();
app.MapKonuiMcp();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
