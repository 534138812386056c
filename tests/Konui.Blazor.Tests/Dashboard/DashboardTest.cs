using Bunit;
using Konui.Core.Konsole;
using Konui.Core.Kontasks;
using Konui.Core.Turns;
using Microsoft.AspNetCore.Components;
using DashboardPage = Konui.Blazor.Components.Pages.Dashboard.Dashboard;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>
/// What the dashboard tests share: an interactive circuit, and konsole's turns made of the real CLI's recordings
/// (numbered after a turn_start as konsole numbers them) or published live on the bus as konsole's readers do.
/// </summary>
public abstract class DashboardTest : KonuiComponentTest
{
    protected const string SessionId = "5f0c2a9e-3b1d-4c7e-9a2f-8d6b1e4c7a30";

    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "claude-cli");

    /// <param name="configure">Services a test class adds, before the renderer starts.</param>
    protected DashboardTest(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null) : base(configure) =>
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    protected static IEnumerable<string> Lines(string recording) => File.ReadAllLines(Path.Combine(Fixtures, recording));

    /// <summary>A turn's events as konsole serves them: turn_start, what the CLI printed, and the turn_end when given.</summary>
    protected static List<TurnEvent> TurnEvents(string turnId, IEnumerable<string> lines, string prompt, DateTimeOffset startedAt, TurnEnd? end)
    {
        var parser = new StreamJsonParser();
        var events = new List<TurnEvent> { new TurnStart(turnId, SessionId, "req-" + turnId, prompt, 0) { Seq = 1, At = startedAt } };
        foreach (var turnEvent in lines.SelectMany(parser.Parse)) events.Add(turnEvent with { Seq = events.Count + 1, At = startedAt });
        if (end is not null) events.Add(end with { Seq = events.Count + 1, At = startedAt.AddMilliseconds(end.Timing?.TotalMs ?? 0) });
        return events;
    }

    /// <summary>Konsole knows an ended turn of the session, made of a recording.</summary>
    protected void AddEndedTurn(string turnId, IEnumerable<string> lines, string prompt, DateTimeOffset startedAt, TurnEnd? end = null)
    {
        end ??= new TurnEnd(true, null, new TurnTiming { TotalMs = 2500 }, 0.045062);
        var events = TurnEvents(turnId, lines, prompt, startedAt, end);
        Konsole.EventsByTurnId[turnId] = events;
        if (!Konsole.TurnsBySession.TryGetValue(SessionId, out var turns)) Konsole.TurnsBySession[SessionId] = turns = [];
        turns.Add(new TurnSummary(turnId, SessionId, "req-" + turnId, prompt, startedAt, startedAt.AddMilliseconds(end.Timing?.TotalMs ?? 0),
            TurnState.Ended, end.Success, end.Error, null, end.CostUsd, null, end.Timing, events.Count));
    }

    /// <summary>Konsole's reader publishing a turn event of the session on the bus.</summary>
    protected void Publish(string turnId, TurnEvent turnEvent) => Bus.PublishTurnEvent(SessionId, turnId, turnEvent);

    protected IRenderedComponent<DashboardPage> OpenDashboard(string query = "?session=" + SessionId)
    {
        Navigation.NavigateTo(query);
        return Render<DashboardPage>();
    }
}
