namespace Konui.Core.Konsole;

/// <summary>PUT /api/konsole/sessions/{id}/queue/{queuedId}: the queued prompt's new text.</summary>
public sealed record QueuedPromptEdit(string Prompt);
