using Konsole;

// Konsole on its own (by default it runs inside Konui): http://127.0.0.1:8020 unless urls are configured.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls(KonsoleOptions.StandaloneUrl);
var options = builder.Configuration.GetSection(KonsoleOptions.Section).Get<KonsoleOptions>() ?? new KonsoleOptions();
builder.Services.AddKonsole(options);

var app = builder.Build();
app.UseMiddleware<BodyLimit>();
app.UseMiddleware<StandaloneAccess>();
app.MapKonsole();
app.Run();
