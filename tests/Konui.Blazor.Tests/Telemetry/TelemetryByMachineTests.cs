using Bunit;
using Konui.Blazor.Components.Pages.Telemetry;
using Konui.Blazor.Console;

namespace Konui.Blazor.Tests.Telemetry;

/// <summary>Telemetry with two machines: one machine's numbers at a time (local unless another is chosen), since percentiles of two do not add up.</summary>
public sealed class TelemetryByMachineTests : KonuiComponentTest
{
    private readonly FakeKonsole _far = new();

    protected override IEnumerable<KonsoleHost> OtherMachines(FakeMachines machines) => [machines.Add("far", _far)];

    [Fact]
    public void The_machine_comes_from_the_address_and_local_is_shown_first()
    {
        Konsole.AllTurns.Add(EndedTurn.At(Now.AddHours(-2), 3000, 0.02));
        _far.AllTurns.AddRange([EndedTurn.At(Now.AddHours(-1), 9000, 0.05), EndedTurn.At(Now.AddHours(-3), 1000, 0.01)]);

        Navigation.NavigateTo("telemetry");
        var local = Render<TelemetryPage>();
        local.WaitForAssertion(() => Assert.Contains("Turns1", local.FindAll(".konui-stat")[0].TextContent, StringComparison.Ordinal));
        Assert.Equal("local", local.Find("select.telemetry-machine").GetAttribute("value"));
        Assert.Equal(["local", "far"], local.FindAll("select.telemetry-machine option").Select(o => o.GetAttribute("value")));

        local.Find("select.telemetry-machine").Change("far");
        Assert.Equal("http://localhost/telemetry?range=7d&machine=far", Navigation.Uri);
        var far = Render<TelemetryPage>();
        far.WaitForAssertion(() => Assert.Contains("Turns2", far.FindAll(".konui-stat")[0].TextContent, StringComparison.Ordinal));
        Assert.Contains("$0.06", far.FindAll(".konui-stat")[1].TextContent, StringComparison.Ordinal);
    }
}
