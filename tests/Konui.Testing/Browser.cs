using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Konui.Testing;

/// <summary>
/// A headless Chromium driven by Debian's chromedriver (both installed by build/test.sh), with a fresh profile.
/// Pages are opened with <see cref="OpenAsync"/>, which returns only once Blazor's circuit has made the page live.
/// The end-to-end tests use it, and the benchmarks launch theirs with it.
/// </summary>
public sealed class Browser : IDisposable
{
    public const int DesktopWidth = 1280;
    public const int DesktopHeight = 900;
    public const int PhoneWidth = 390;
    public const int PhoneHeight = 844;

    /// <summary>How long a page may take to load and connect its circuit.</summary>
    public static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a WebDriver command may take.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    // Runs in every document before its own scripts and marks the prerendered <main> once the document is parsed.
    // Blazor does not hydrate prerendered markup: the circuit's first render replaces it with new, interactive nodes
    // (event handlers attached, the page's bus subscription made). So "the marked <main> is gone" means the circuit is
    // connected and the page is live. It cannot be true too early: the mark only counts when it was set before Blazor
    // negotiated its SignalR connection (/_blazor/negotiate), and no render can arrive before that.
    private const string CircuitProbe = """
        document.addEventListener('DOMContentLoaded', () => {
          const main = document.querySelector('main');
          if (main) main.__konuiPrerendered = true;
          const negotiated = performance.getEntriesByType('resource').some(r => r.name.includes('/_blazor/negotiate'));
          window.__konuiMarkedBeforeCircuit = !!main && !negotiated;
        });
        """;

    private const string CircuitState = """
        if (document.readyState === 'loading') return 'loading';
        if (window.__konuiMarkedBeforeCircuit !== true) return 'unmarked';
        const main = document.querySelector('main');
        return main && !main.__konuiPrerendered ? 'live' : 'prerendered';
        """;

    private readonly DirectoryInfo _profile;
    private readonly Dictionary<string, object?> _screen;
    private readonly HashSet<string> _preparedTabs = [];

    private Browser(ChromeDriver driver, int driverProcessId, DirectoryInfo profile, Dictionary<string, object?> screen)
    {
        Driver = driver;
        DriverProcessId = driverProcessId;
        _profile = profile;
        _screen = screen;
    }

    public ChromeDriver Driver { get; }

    /// <summary>The chromedriver process, under which every Chromium process of this browser runs.</summary>
    public int DriverProcessId { get; }

    public string Title => Driver.Title;

    /// <summary>A desktop browser with a 1280x900 viewport; <paramref name="arguments"/> are more Chromium switches.</summary>
    public static Browser Start(params string[] arguments) => Start(DesktopWidth, DesktopHeight, phone: false, ["--hide-scrollbars", .. arguments], CommandTimeout);

    /// <summary>A phone: a 390x844 mobile viewport.</summary>
    public static Browser StartPhone() => Start(PhoneWidth, PhoneHeight, phone: true, ["--hide-scrollbars"], CommandTimeout);

    /// <summary>
    /// A desktop-sized browser for a benchmark: the switches every browser here gets and <paramref name="arguments"/>,
    /// its WebDriver commands allowed <paramref name="commandTimeout"/>.
    /// </summary>
    public static Browser StartForBenchmark(TimeSpan commandTimeout, params string[] arguments) =>
        Start(DesktopWidth, DesktopHeight, phone: false, arguments, commandTimeout);

    private static Browser Start(int width, int height, bool phone, string[] arguments, TimeSpan commandTimeout)
    {
        var chromium = FindOnPath("chromium");
        var chromedriver = FindOnPath("chromedriver");
        var profile = Directory.CreateTempSubdirectory("konui-chromium-");
        // An explicit driver path and browser binary: Selenium Manager never runs, so nothing is downloaded.
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage",
            $"--user-data-dir={profile.FullName}", $"--window-size={width},{height}");
        options.AddArguments(arguments);
        try
        {
            // The viewport is set exactly with DevTools' device mode: --window-size alone leaves headless Chromium's
            // viewport shorter than the window, and Chromium keeps windows at least 500 px wide (no phone width).
            var screen = new Dictionary<string, object?> { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = phone };
            var driver = new ChromeDriver(service, options, commandTimeout);
            return new Browser(driver, service.ProcessId, profile, screen);
        }
        catch
        {
            service.Dispose();
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> in the current tab and waits until the Blazor circuit has made it live.</summary>
    public async Task OpenAsync(string url)
    {
        if (_preparedTabs.Add(Driver.CurrentWindowHandle))
        {
            Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", _screen);
            Driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = CircuitProbe });
        }
        Driver.Navigate().GoToUrl(url);
        await WaitForCircuitAsync(url);
    }

    /// <summary>Opens <paramref name="url"/> in a new tab, which becomes the current one; returns its handle.</summary>
    public async Task<string> OpenTabAsync(string url)
    {
        Driver.SwitchTo().NewWindow(WindowType.Tab);
        await OpenAsync(url);
        return Driver.CurrentWindowHandle;
    }

    public void SwitchToTab(string handle) => Driver.SwitchTo().Window(handle);

    /// <summary>Reloads the current tab (as F5 does) and waits until the Blazor circuit has made it live again.</summary>
    public async Task ReloadAsync()
    {
        var url = Driver.Url;
        Driver.Navigate().Refresh();
        await WaitForCircuitAsync(url);
    }

    /// <summary>Cuts the current tab off the network (DevTools' "Offline"), or brings it back.</summary>
    public void SetOffline(bool offline)
    {
        Driver.ExecuteCdpCommand("Network.enable", []);
        Driver.ExecuteCdpCommand("Network.emulateNetworkConditions", new Dictionary<string, object?>
        {
            ["offline"] = offline,
            ["latency"] = 0,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = -1,
        });
    }

    public object? Run(string script, params object?[] arguments) => Driver.ExecuteScript(script, arguments);

    /// <summary>Runs a script for its result; a whole number comes back from WebDriver as a long, also when a double is asked for.</summary>
    public T Run<T>(string script, params object?[] arguments) => Driver.ExecuteScript(script, arguments) switch
    {
        T value => value,
        long whole when typeof(T) == typeof(double) => (T)(object)(double)whole,
        var other => throw new InvalidCastException($"The script did not return a {typeof(T).Name} but {other ?? "null"}: {script}"),
    };

    /// <summary>Polls <paramref name="probe"/> until it returns a non-null value; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> WaitForAsync<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (probe() is { } value) return value;
            }
            catch (WebDriverException ex)
            {
                last = ex;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}." + (last is null ? "" : $" Last error: {last.Message}"));
            }
            await Task.Delay(25);
        }
    }

    public IWebElement? FindOrNull(string css) => Driver.FindElements(By.CssSelector(css)).FirstOrDefault();

    public void SaveScreenshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Driver.GetScreenshot().SaveAsFile(path);
    }

    private Task WaitForCircuitAsync(string url) =>
        WaitForAsync(() => Run<string>(CircuitState) switch
        {
            "live" => "live",
            // Final once parsing is done (the mark is set on DOMContentLoaded): waiting longer cannot help.
            "unmarked" => throw new InvalidOperationException(
                $"{url} has no <main>, or Blazor negotiated its connection before the page was parsed: cannot tell when its circuit is live."),
            _ => null,
        }, PageTimeout, $"the Blazor circuit of {url}");

    private static string FindOnPath(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return path ?? throw new FileNotFoundException(
            $"{name} is not on PATH. Run build/test.sh, which installs Debian's chromium and chromium-driver.", name);
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            try
            {
                _profile.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
