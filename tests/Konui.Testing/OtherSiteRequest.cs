namespace Konui.Testing;

/// <summary>A request <see cref="OtherSite"/> got; <see cref="Referer"/> is empty when none was sent.</summary>
public sealed record OtherSiteRequest(string Method, string PathAndQuery, string Referer);
