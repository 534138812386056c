using Konui.Core.Kontasks;

namespace Konui.Core.Events;

/// <summary>What the kontask store tells the bus.</summary>
public abstract record KontaskEvent;

/// <summary>A kontask id seen for the first time.</summary>
public sealed record KontaskReady(KontaskSummary Kontask) : KontaskEvent;

/// <summary>A newer line for a known kontask id.</summary>
public sealed record KontaskUpdated(KontaskSummary Kontask) : KontaskEvent;

/// <summary>
/// Start over from the store: the file was truncated or replaced and re-indexed, or this subscriber fell too far
/// behind and its queued events were replaced by this one.
/// </summary>
public sealed record KontasksReloaded : KontaskEvent;
