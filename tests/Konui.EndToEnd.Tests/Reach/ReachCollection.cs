namespace Konui.EndToEnd.Tests.Reach;

/// <summary>The tests of notifications and of a tab that comes back share one Konui and one browser, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ReachCollection : ICollectionFixture<ReachFixture>
{
    public const string Name = "Reach";
}
