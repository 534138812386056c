using Konui.Core.Konsole;
using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>Prompts of turns, asked of konsole by requestId. When konsole cannot say, there is no prompt to show.</summary>
internal sealed class KonsoleTurnPrompts(KonsoleClient konsole, ILogger<KonsoleTurnPrompts> logger) : ITurnPrompts
{
    public async Task<string?> FindPromptAsync(string requestId, CancellationToken cancellationToken = default)
    {
        try
        {
            var turns = await konsole.FindTurnsAsync(requestId, cancellationToken);
            return turns.Count > 0 ? turns[0].Prompt : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or KonsoleException)
        {
            logger.LogWarning("Konsole could not say which prompt made request {RequestId}: {Reason}", requestId, ex.Message);
            return null;
        }
    }
}
