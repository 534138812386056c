using Konui.Core.Turns;

namespace Konui.Blazor.Console;

/// <summary>Prompts of turns, asked of every machine's konsole by requestId. When none can say, there is no prompt to show.</summary>
internal sealed class KonsoleTurnPrompts(Konsoles konsoles) : ITurnPrompts
{
    public async Task<string?> FindPromptAsync(string requestId, CancellationToken cancellationToken = default) =>
        await konsoles.FindTurnsAsync(requestId, cancellationToken) is [var first, ..] ? first.Item.Prompt : null;
}
