namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>The dashboard's browser tests share one Konui (with the real CLI) and one browser, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
