namespace Konui.Core;

/// <summary>
/// The one place ids come from: a prefix and a time-ordered GUID (version 7, from the given clock), so ids sort by
/// creation. A console session's id is a plain UUID, as Claude Code's --session-id takes it.
/// </summary>
public static class Ids
{
    public static string Kontask(TimeProvider time) => New("kt_", time);

    public static string Turn(TimeProvider time) => New("turn_", time);

    public static string Request(TimeProvider time) => New("req_", time);

    public static string Decision(TimeProvider time) => New("dec_", time);

    public static string Queued(TimeProvider time) => New("q_", time);

    public static string Rule(TimeProvider time) => New("rule_", time);

    /// <summary>A control request konsole sends the CLI (set_permission_mode, set_model, interrupt).</summary>
    public static string Control(TimeProvider time) => New("konsole_", time);

    /// <summary>A message broadcast to every open page.</summary>
    public static string Broadcast(TimeProvider time) => New("b_", time);

    /// <summary>A device that receives Web Push notifications.</summary>
    public static string Device(TimeProvider time) => New("dev_", time);

    public static string Session() => Guid.NewGuid().ToString();

    private static string New(string prefix, TimeProvider time) => prefix + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
}
