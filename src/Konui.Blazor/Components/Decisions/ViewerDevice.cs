using Microsoft.JSInterop;

namespace Konui.Blazor.Components.Decisions;

/// <summary>
/// Which device answers, one per circuit ("Konui in Chrome on Android"): konsole records it with each answer, so every
/// tab can say who decided. Learnt from the browser once, when a tab first shows a decision to answer.
/// </summary>
public sealed class ViewerDevice
{
    public const string Unknown = "a Konui tab";

    public string Name { get; private set; } = Unknown;

    private bool _asked;

    public async Task LearnAsync(IJSRuntime js)
    {
        if (_asked) return;
        _asked = true;
        try
        {
            if (await js.InvokeAsync<string?>("konui.deviceName") is { Length: > 0 and <= 100 } name) Name = name;
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            _asked = false;
        }
    }
}
