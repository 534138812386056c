namespace Konui.Core.Konsole;

/// <summary>POST /api/konsole/sessions/{id}/model: the model to switch the session to (an alias such as sonnet, or a model's name).</summary>
public sealed record SessionModelChange(string Model);
