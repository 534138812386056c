namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>The dashboard's tests' Konui and browser.</summary>
public sealed class DashboardFixture : BrowserFixture;
