using Bunit;
using Konui.Blazor.Components.Pages.Reports;
using Konui.Blazor.Console;

namespace Konui.Blazor.Tests.Reports;

/// <summary>Reports with two machines: every machine's turns summed up, or one machine's, and a machine that does not answer fails the report by name.</summary>
public sealed class ReportsByMachineTests : KonuiComponentTest
{
    private readonly FakeKonsole _far = new();

    protected override IEnumerable<KonsoleHost> OtherMachines(FakeMachines machines) => [machines.Add("far", _far)];

    private static string Stat(IRenderedComponent<ReportsPage> page, int index) => page.FindAll(".konui-stat")[index].TextContent;

    private void AddTurns()
    {
        Konsole.AllTurns.Add(EndedTurn.At(Now.AddHours(-2), 3000, 0.02));
        _far.AllTurns.AddRange([EndedTurn.At(Now.AddHours(-1), 9000, 0.05), EndedTurn.At(Now.AddHours(-3), 1000, 0.01, ok: false)]);
    }

    [Fact]
    public void Every_machines_turns_are_summed_up_unless_one_is_chosen()
    {
        AddTurns();

        var all = Render<ReportsPage>();
        all.WaitForAssertion(() => Assert.StartsWith("Turns3", Stat(all, 0), StringComparison.Ordinal));
        Assert.Contains("$0.0800", Stat(all, 1), StringComparison.Ordinal);
        Assert.Equal(["", "local", "far"], all.FindAll("select[aria-label=Machine] option").Select(o => o.GetAttribute("value")));

        Navigation.NavigateTo("reports?machine=far");
        var far = Render<ReportsPage>();
        far.WaitForAssertion(() => Assert.StartsWith("Turns2", Stat(far, 0), StringComparison.Ordinal));
        Assert.Contains("$0.0600", Stat(far, 1), StringComparison.Ordinal);
        Assert.Contains("50 % succeeded", Stat(far, 0), StringComparison.Ordinal);
        Assert.All(far.FindAll("a[download]"), a => Assert.EndsWith("&machine=far", a.GetAttribute("href"), StringComparison.Ordinal));
    }

    [Fact]
    public void A_machine_that_does_not_answer_fails_the_report_by_name_rather_than_leave_its_turns_out()
    {
        AddTurns();
        _far.Unreachable = "Connection refused (far.test:80)";

        var page = Render<ReportsPage>();

        page.WaitForAssertion(() => Assert.Equal("Konsole did not give its turns: far: Connection refused (far.test:80)", page.Find(".reports-error").TextContent));
        Navigation.NavigateTo("reports?machine=local");
        var local = Render<ReportsPage>();
        local.WaitForAssertion(() => Assert.StartsWith("Turns1", Stat(local, 0), StringComparison.Ordinal));
    }
}
