namespace Konui.Core.Konsole;

/// <summary>
/// POST /api/konsole/turns: a prompt (with images) for a console session; a new session when none is given, which
/// may name its <see cref="Model"/> and permission <see cref="Mode"/> (else the defaults for new sessions decide). With
/// <see cref="Queue"/>, a busy session queues the prompt instead of refusing it. <see cref="WorkingDirectory"/> is the
/// project folder a new session runs in (one of Konsole:Projects or a folder inside one); a session keeps its folder.
/// </summary>
public sealed record TurnRequest(string Prompt, string? SessionId = null, IReadOnlyList<TurnImage>? Images = null, string? RequestId = null, bool Queue = false,
    string? WorkingDirectory = null, string? Model = null, string? Mode = null);

/// <summary>An image attached to a prompt: PNG, JPEG, GIF or WebP, base64, at most 5 MB.</summary>
public sealed record TurnImage(string MediaType, string Base64);
