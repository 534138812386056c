using Konui.Blazor.Admin;
using Konui.Blazor.Components;
using Konui.Blazor.Console;
using Konui.Blazor.Hosting;
using Konui.Blazor.Kontasks;
using Konui.Blazor.Logs;
using Konui.Blazor.Mcp;
using Konui.Blazor.Notifications;
using Konui.Blazor.Replicas;
using Konui.Blazor.Reports;
using Konui.Blazor.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddKonuiHosting().AddKonuiSecurity().AddKonuiLogs().AddKonsoleConnection().AddReplicas();
builder.Services.AddKontasks().AddKonuiMcp().AddConsole().AddNotifications().AddReports().AddKonuiComponents();

var app = builder.Build().IndexKontasks();
app.UseKonuiHosting().UseKonuiSecurity();
app.MapStaticAssets();
app.MapKonuiMcp();
app.MapEmbeddedKonsole();
app.MapBroadcast();
app.MapLogDownload();
app.MapReports();
app.MapNotifications();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
