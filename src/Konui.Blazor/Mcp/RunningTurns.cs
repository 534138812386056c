using Konui.Blazor.Console;
using Konui.Core.Konsole;

namespace Konui.Blazor.Mcp;

/// <summary>Which turn a console session is running now, asked of its machine's konsole over its HTTP API (it may be on another host).</summary>
public sealed class RunningTurns(Konsoles konsoles, ILogger<RunningTurns> logger)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>The requestId of the turn running in <paramref name="sessionId"/>; null when none runs or konsole cannot say.</summary>
    public async Task<string?> RequestIdAsync(string sessionId, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            var konsole = (await konsoles.ForSessionAsync(sessionId, patience.Token)).Client;
            var status = await konsole.GetStatusAsync(patience.Token);
            if (status.ActiveTurns.FirstOrDefault(t => t.SessionId == sessionId) is not { } running) return null;
            return (await konsole.GetTurnAsync(running.TurnId, patience.Token)).RequestId;
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Konsole could not say which turn session {Session} runs: {Reason}", sessionId, ex.Message);
            return null;
        }
    }
}
