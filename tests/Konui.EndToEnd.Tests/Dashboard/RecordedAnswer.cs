namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>A text the newest turn's answer showed, and whether it was marked as still streaming then.</summary>
public sealed record RecordedAnswer(string Text, bool Streaming);
