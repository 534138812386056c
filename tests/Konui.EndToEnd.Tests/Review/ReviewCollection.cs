namespace Konui.EndToEnd.Tests.Review;

/// <summary>The review tests share one Konui with project folders and one browser, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ReviewCollection : ICollectionFixture<ReviewFixture>
{
    public const string Name = "Review";
}
