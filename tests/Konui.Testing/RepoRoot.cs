namespace Konui.Testing;

/// <summary>Locates the Konui repository root (the folder holding Konui.Blazor.sln).</summary>
public static class RepoRoot
{
    /// <summary>The solution file that marks the repository root.</summary>
    public const string MarkerFile = "Konui.Blazor.sln";

    /// <summary>Walks up from <see cref="AppContext.BaseDirectory"/> until a folder holds Konui.Blazor.sln.</summary>
    /// <exception cref="DirectoryNotFoundException">No parent folder holds the solution file.</exception>
    public static string Find() => Find(AppContext.BaseDirectory);

    /// <summary>Walks up from <paramref name="startDirectory"/> until a folder holds Konui.Blazor.sln.</summary>
    /// <exception cref="DirectoryNotFoundException">No parent folder holds the solution file.</exception>
    public static string Find(string startDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(startDirectory);
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, MarkerFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"Could not find {MarkerFile} in '{startDirectory}' or any of its parent folders.");
    }
}
