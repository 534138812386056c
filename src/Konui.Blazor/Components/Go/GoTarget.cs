namespace Konui.Blazor.Components.Go;

/// <summary>Somewhere the Go box can take you: what it is (a page, a session, a kontask), its name, a hint, and its address.</summary>
public sealed record GoTarget(string Kind, string Title, string? Detail, string Href);
