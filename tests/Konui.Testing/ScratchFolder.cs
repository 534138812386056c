namespace Konui.Testing;

/// <summary>
/// A fresh folder under the system's temp folder, deleted with everything in it on dispose. Declare it before the
/// processes that work in it, so that they have stopped by the time it goes.
/// </summary>
public sealed class ScratchFolder : IDisposable
{
    public ScratchFolder(string name) => Path = Directory.CreateTempSubdirectory($"{name}-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
