using Konui.Blazor.Hosting;

namespace Konui.Blazor.Logs;

public static class LogsExtensions
{
    /// <summary>Konui's own logs into the log book: memory for the Logs page, daily files under data/logs.</summary>
    public static WebApplicationBuilder AddKonuiLogs(this WebApplicationBuilder builder)
    {
        var konui = builder.Configuration.GetSection(KonuiOptions.Section).Get<KonuiOptions>() ?? new KonuiOptions();
        var book = new LogBook(Path.Combine(konui.ResolveDataDir(builder.Environment.ContentRootPath), "logs"), TimeProvider.System);
        builder.Services.AddSingleton(book);
        builder.Logging.AddProvider(new LogBookProvider(book));
        // Quiet by default (appsettings.json may say otherwise): a line per HTTP request or MCP call drowns what matters.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        return builder;
    }

    public static IEndpointRouteBuilder MapLogDownload(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/logs/download", (LogBook book) =>
        {
            var path = book.CurrentFile;
            if (!File.Exists(path)) return Results.NotFound(new { error = "Nothing has been logged today." });
            var today = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Results.File(today, "text/plain; charset=utf-8", Path.GetFileName(path));
        });
        return endpoints;
    }
}
