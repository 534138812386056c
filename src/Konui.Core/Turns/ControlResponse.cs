using System.Text.Json;

namespace Konui.Core.Turns;

/// <summary>
/// The CLI's answer to a control request konsole sent it (set_permission_mode, set_model, interrupt). Konsole consumes
/// it; it is never part of a turn's log.
/// </summary>
public sealed record ControlResponse(string RequestId, bool Success, JsonElement? Response, string? Error) : TurnEvent;
