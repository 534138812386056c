using Konui.Core.Konsole;
using Konui.EndToEnd.Tests.Dashboard;
using Konui.EndToEnd.Tests.Decisions;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Replicas;

/// <summary>
/// Another replica's konsole is a machine of this one: B lists the sessions A's konsole runs, with A's name, and a
/// decision waiting on A is answered from B's Dashboard (konsole takes the first answer, whichever replica sends it).
/// </summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaDecisionTests(ReplicasFixture replicas)
{
    private Browser Browser => replicas.Browser;

    [Fact]
    public async Task A_session_on_A_is_listed_on_B_with_As_name_and_its_decision_is_answered_from_B()
    {
        await replicas.SignInAsync(replicas.B);
        var marker = $"from-b-{Guid.NewGuid():N}"[..16] + ".txt";
        replicas.A.Model.SetScript(request => request.HasToolResult ? ScriptedModelApi.Echo(request)
            : request.LastUserText.Contains("marker on A", StringComparison.Ordinal) ? ModelReply.Bash($"echo allowed-from-b > {marker}", "Write a marker file")
            : ModelReply.Text("Ready."));

        var accepted = await replicas.A.Konsole.StartTurnAsync(new TurnRequest("Make the marker on A", null));

        // B hears of A (a heartbeat every 5 s) and lists A's session as on machine "a".
        await Browser.OpenAsync(replicas.B.Konui.BaseUrl + "/sessions");
        var listedAt = System.Diagnostics.Stopwatch.StartNew();
        await Browser.WaitForAsync(() =>
        {
            if (Browser.FindOrNull($".session-row[data-session-id='{accepted.SessionId}'][data-machine='a']") is { } row) return row;
            if (listedAt.Elapsed > TimeSpan.FromSeconds(3))
            {
                Browser.Driver.Navigate().Refresh();
                listedAt.Restart();
            }
            return null;
        }, TimeSpan.FromSeconds(40), "B's Sessions page to list A's session on machine a");

        var page = new DashboardPage(Browser, replicas.B.Konui.BaseUrl);
        var cards = new DecisionCards(Browser);
        await page.OpenSessionAsync(accepted.SessionId);
        var card = await cards.WaitForPendingAsync("Bash");
        Assert.False(File.Exists(Path.Combine(replicas.A.Home, "work", marker)), "nothing runs on A before someone decides");

        cards.Click(card.DecisionId, "[data-decision-allow]");

        Assert.Equal("allowed", (await cards.WaitForStateAsync(card.DecisionId, "allowed")).State);
        Assert.Equal("ok", (await page.WaitForEndAsync(accepted.TurnId)).State);
        Assert.Equal("allowed-from-b", File.ReadAllText(Path.Combine(replicas.A.Home, "work", marker)).Trim());
    }
}
