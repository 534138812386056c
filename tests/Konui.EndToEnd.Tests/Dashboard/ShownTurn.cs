namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>
/// One turn as the transcript shows it: its state (running, ok, failed), the prompt, Claude's answer (the rendered
/// text of its answer blocks), the result line (outcome, duration, tokens, cost) and the ids of the kontask cards in it, space-separated.
/// </summary>
public sealed record ShownTurn(string TurnId, string State, string Prompt, string Answer, string Result, string Kontasks)
{
    public override string ToString() => $"[{State}] {Prompt} => \"{Answer}\" | {Result} | kontasks: {Kontasks}";
}
