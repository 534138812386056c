namespace Konui.Core.Kontasks;

/// <summary>Where kontasks live and how often the file is checked when the watcher stays silent.</summary>
public sealed record KontaskStoreOptions(string FilePath)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
