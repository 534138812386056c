using Konui.Core.Konsole;

namespace Konsole;

/// <summary>What became of a prompt: the turn it started, its place in the queue, or neither (refused: <see cref="Running"/> is the busy session's turn).</summary>
internal sealed record PromptOutcome(Turn? Started, QueuedPrompt? Queued, Turn? Running, string SessionId);
