namespace Konui.Core.Turns;

/// <summary>Finds the prompt of a turn by its requestId, so a kontask can show the request that made it.</summary>
public interface ITurnPrompts
{
    Task<string?> FindPromptAsync(string requestId, CancellationToken cancellationToken = default);
}
