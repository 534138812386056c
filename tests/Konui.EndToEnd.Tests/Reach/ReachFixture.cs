namespace Konui.EndToEnd.Tests.Reach;

/// <summary>
/// A Konui of their own and one browser for the tests of what reaches a user who is not looking: so that no other
/// test's waiting decision counts in a title.
/// </summary>
public sealed class ReachFixture : BrowserFixture;
