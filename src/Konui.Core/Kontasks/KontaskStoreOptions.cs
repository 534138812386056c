namespace Konui.Core.Kontasks;

/// <summary>Where kontasks live and how often the file is checked when the watcher stays silent.</summary>
public sealed record KontaskStoreOptions(string FilePath)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the index of <see cref="FilePath"/> is kept between starts (beside it, as kontasks.index); null: nowhere.</summary>
    public string? IndexFilePath { get; init; } = Path.ChangeExtension(FilePath, ".index");

    /// <summary>The index file is written again once this many lines were read from the kontasks file since it last was.</summary>
    public int IndexFileEvery { get; init; } = 1_000;
}
