using Konui.Testing;

namespace Konsole.Bench;

/// <summary>How the results name the program a benchmark ran against.</summary>
internal static class Targets
{
    public static string Describe(string program) => program switch
    {
        KonuiProcess.Konsole => "standalone konsole (Konsole.dll)",
        KonuiProcess.Konui => "konsole embedded in Konui (Konui.Blazor.dll; Konui's KonsoleWatch also reads each turn onto its bus)",
        _ => program,
    };
}
