using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Konui.Testing;

/// <summary>Helpers to find and run the real Claude Code CLI offline against a <see cref="ScriptedModelApi"/>.</summary>
public static class ClaudeCli
{
    /// <summary>Environment variable that overrides the CLI location (full path of the <c>claude</c> executable).</summary>
    public const string PathVariable = "KONUI_TEST_CLAUDE";

    /// <summary>The CLI version the tests are written against.</summary>
    public const string Version = "2.1.197";

    /// <summary>Where the CLI is installed, relative to the repository root.</summary>
    public static readonly string RelativePath = Path.Combine("build", "npm", "node_modules", ".bin", "claude");

    /// <summary>
    /// The command (run from the repository root) that installs the CLI where <see cref="Locate"/> looks, from
    /// build/npm/package.json and its lock file (build/test.sh runs it when needed).
    /// </summary>
    public const string InstallCommand = "npm ci --prefix build/npm --no-audit --no-fund";

    /// <summary>
    /// Returns the path of the <c>claude</c> executable: <c>$KONUI_TEST_CLAUDE</c> when set, else
    /// <c>build/npm/node_modules/.bin/claude</c> under <paramref name="repoRoot"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The executable is missing; the message names the install command.</exception>
    public static string Locate(string repoRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(repoRoot);
        var overridePath = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            return File.Exists(overridePath)
                ? Path.GetFullPath(overridePath)
                : throw new FileNotFoundException(
                    $"{PathVariable} is set to '{overridePath}', but no file exists there. " +
                    $"Unset it, or point it at an installed claude executable.", overridePath);
        }

        var path = Path.Combine(Path.GetFullPath(repoRoot), RelativePath);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"The Claude Code CLI is not installed at '{path}'. Install it from the repository root with: " +
                $"{InstallCommand} (build/test.sh does this), or set {PathVariable} to the path of a claude executable.", path);
    }

    /// <summary>
    /// A konsole's configuration (environment-variable style) for running the real CLI offline against
    /// <paramref name="modelApiBaseUrl"/> as model claude-test in <paramref name="workingDirectory"/>, with
    /// <see cref="OfflineEnvironment"/> as the CLI's environment.
    /// </summary>
    public static Dictionary<string, string> KonsoleSettings(string modelApiBaseUrl, string homeDir, string workingDirectory, int maxRetries = 1,
        string? claudePath = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Konsole__ClaudePath"] = claudePath ?? Locate(RepoRoot.Find()),
            ["Konsole__Model"] = "claude-test",
            ["Konsole__WorkingDirectory"] = workingDirectory,
        };
        foreach (var (key, value) in OfflineEnvironment(modelApiBaseUrl, homeDir, maxRetries)) settings[$"Konsole__Environment__{key}"] = value;
        return settings;
    }

    /// <summary>
    /// The environment variables that make the CLI talk only to <paramref name="modelApiBaseUrl"/> with a dummy key,
    /// with no telemetry, update checks or other traffic, and a private <c>HOME</c>. Overlay these on the inherited
    /// environment (see <see cref="CreateStartInfo"/>, which also drops inherited <c>ANTHROPIC_*</c>/<c>CLAUDE_*</c>).
    /// </summary>
    /// <param name="modelApiBaseUrl">E.g. <see cref="ScriptedModelApi.BaseUrl"/> (<c>http://127.0.0.1:PORT</c>).</param>
    /// <param name="homeDir">A fresh, writable temp folder; the CLI keeps its config and transcripts there.</param>
    /// <param name="maxRetries">CLAUDE_CODE_MAX_RETRIES (0..2 keeps 5xx/529 tests short; the CLI's default is 10).</param>
    public static Dictionary<string, string> OfflineEnvironment(string modelApiBaseUrl, string homeDir, int maxRetries = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelApiBaseUrl);
        ArgumentException.ThrowIfNullOrEmpty(homeDir);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ANTHROPIC_BASE_URL"] = modelApiBaseUrl.TrimEnd('/'),
            ["ANTHROPIC_API_KEY"] = "test",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["DISABLE_TELEMETRY"] = "1",
            ["CLAUDE_CODE_MAX_RETRIES"] = maxRetries.ToString(CultureInfo.InvariantCulture),
            ["HOME"] = homeDir,
        };
    }

    /// <summary>
    /// A <see cref="ProcessStartInfo"/> for the CLI: arguments passed one by one (no shell quoting), stdin/stdout/stderr
    /// redirected with UTF-8, inherited <c>ANTHROPIC_*</c> and <c>CLAUDE_*</c> variables removed, then
    /// <paramref name="environment"/> applied on top.
    /// </summary>
    public static ProcessStartInfo CreateStartInfo(
        string claudePath,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(claudePath);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);

        var psi = new ProcessStartInfo(claudePath)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var inherited = psi.Environment.Keys
            .Where(k => k.StartsWith("ANTHROPIC_", StringComparison.Ordinal) || k.StartsWith("CLAUDE", StringComparison.Ordinal))
            .ToList();
        foreach (var key in inherited)
        {
            psi.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        return psi;
    }
}
