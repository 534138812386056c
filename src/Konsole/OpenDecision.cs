using Konui.Core.Turns;

namespace Konsole;

/// <summary>A decision Claude Code waits for: the request, the turn it belongs to, and the CLI process to answer.</summary>
internal sealed record OpenDecision(DecisionRequest Request, Turn Turn, ClaudeProcess Process);
