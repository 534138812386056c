using System.Diagnostics;

namespace Konui.EndToEnd.Tests.Review;

/// <summary>
/// One Konui with project folders (Konsole:Projects: a root that each test adds its git repositories to), driving the
/// real Claude Code CLI against a scripted model that may edit files (acceptEdits) and run commands and keep a task list
/// without asking; and one desktop browser. The review tests run one at a time on it.
/// </summary>
public sealed class ReviewFixture : BrowserFixture
{
    /// <summary>The project root: the folders under it are what "New session" offers.</summary>
    public string Projects { get; } = Path.Combine(Path.GetTempPath(), "konui-projects-" + Guid.NewGuid().ToString("N"));

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Konsole__Projects__0"] = Projects,
        ["Konsole__PermissionMode"] = "acceptEdits",
        ["Konsole__AllowedTools__0"] = "Bash",
        ["Konsole__AllowedTools__1"] = "TaskCreate",
        ["Konsole__AllowedTools__2"] = "TaskUpdate",
        ["Konsole__AllowedTools__3"] = "TaskList",
    };

    public override Task InitializeAsync()
    {
        Directory.CreateDirectory(Projects);
        return base.InitializeAsync();
    }

    /// <summary>A new git repository under the project root, with README.md committed; returns its path.</summary>
    public async Task<string> NewRepositoryAsync(string name)
    {
        var folder = Path.Combine(Projects, name);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "README.md"), $"# {name}\n");
        await GitAsync(folder, "init", "-q");
        await GitAsync(folder, "add", "README.md");
        await GitAsync(folder, "-c", "user.name=Konui Tests", "-c", "user.email=tests@konui.invalid", "commit", "-q", "-m", "Start");
        return folder;
    }

    private static async Task GitAsync(string folder, params string[] arguments)
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = folder, RedirectStandardError = true })!;
        var error = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        if (git.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {folder}: {error}");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(Projects, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
