namespace Konui.Blazor.Reports;

public static class ReportsExtensions
{
    public static IServiceCollection AddReports(this IServiceCollection services) => services.AddTransient<UsageReports>();

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder endpoints) => UsageReports.MapReportDownloads(endpoints);
}
