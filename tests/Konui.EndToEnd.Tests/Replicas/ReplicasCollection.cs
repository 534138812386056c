namespace Konui.EndToEnd.Tests.Replicas;

/// <summary>The replica tests share two Konuis on one Redis and one browser, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ReplicasCollection : ICollectionFixture<ReplicasFixture>
{
    public const string Name = "Replicas";
}
