namespace Konui.Core.Transcripts;

/// <summary>
/// What a review of a tool call shows instead of its JSON, worked out once per change of the call (its input, then its
/// result): a file's diff (<see cref="FileEdit"/>), a command's run (<see cref="CommandRun"/>), a change to the agent's
/// task list (<see cref="ChecklistStep"/>) or a one-line lookup (<see cref="ToolLookup"/>). Other tools have none.
/// </summary>
public abstract record ToolReview;
