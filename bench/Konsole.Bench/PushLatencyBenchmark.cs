using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using Konui.Testing;

namespace Konsole.Bench;

/// <summary>
/// 12. A decision appearing in konsole to the Web Push request leaving Konui: the real CLI (against the scripted model
/// API) asks for one Bash call after another in a single turn; for each, the time from its decision_request (stamped
/// by konsole when it read the CLI's can_use_tool line) to the arrival of the push that names it at a stand-in push
/// service on loopback (the request has left Konui: encrypted for the device and signed). Each decision is answered as
/// soon as its push arrives, so the next comes. No tab is open, so every decision is pushed. Target: p99 at most 200 ms.
/// </summary>
internal static class PushLatencyBenchmark
{
    public const string Name = "push-latency";
    private const int WarmUp = 5;
    private const int Decisions = 200;

    public static async Task<int> RunAsync()
    {
        Console.WriteLine($"uptime: {File.ReadAllText("/proc/loadavg").Trim()} (1, 5 and 15-minute load, tasks, last pid)");
        await using var pushService = await PushServiceStandIn.StartAsync();
        using var phone = new PushSubscriber(pushService.EndpointFor("phone"));
        await using var rig = await KonuiWithClaude.StartAsync();
        using var api = new HttpClient { BaseAddress = new Uri(rig.Konui.BaseUrl) };
        (await api.PostAsJsonAsync("/api/push/devices", phone.Subscription("bench phone"))).EnsureSuccessStatusCode();
        var total = WarmUp + Decisions;
        var asked = 0;
        rig.Model.SetScript(request => !request.HasToolResult || Interlocked.Increment(ref asked) < total
            ? ModelReply.Bash($"echo {asked} > step-{asked}.txt", "A step of the benchmark")
            : ModelReply.Text("All steps done."));

        var turn = await rig.Konsole.StartTurnAsync(new TurnRequest("Run the benchmark's steps"));
        await using var watch = TurnWatch.Start(rig.Konsole, turn.TurnId);
        var latencies = new List<double>();
        for (var i = 0; i < total; i++)
        {
            var delivery = await pushService.WaitForAsync("phone", skip: i, TimeSpan.FromSeconds(60));
            var message = JsonDocument.Parse(phone.Decrypt(delivery.Body)).RootElement;
            var decisionId = message.GetProperty("decisionId").GetString();
            var request = await watch.WaitForAsync<DecisionRequest>(d => d.DecisionId == decisionId);
            if (i >= WarmUp) latencies.Add((delivery.ReceivedAt - request.At).TotalMilliseconds);
            await rig.Konsole.AnswerDecisionAsync(turn.TurnId, request.DecisionId, new DecisionAnswer("allow", Client: "push-latency"));
        }
        await watch.EndAsync(TimeSpan.FromSeconds(60));
        var measured = new Latencies(latencies);
        Console.WriteLine($"decision_request in konsole -> push request at the push service, {Decisions} decisions after {WarmUp} warm-up ones:");
        Console.WriteLine($"  {measured}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  target p99 <= 200 ms: {(measured.Percentile(99) <= 200 ? "met" : "MISSED")}"));
        Console.WriteLine($"uptime after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }
}
