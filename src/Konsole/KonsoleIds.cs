namespace Konsole;

/// <summary>The one place konsole's ids come from: a prefix and a time-ordered GUID, so ids sort by creation.</summary>
public static class KonsoleIds
{
    public static string Turn(TimeProvider time) => New("turn_", time);

    public static string Request(TimeProvider time) => New("req_", time);

    public static string Decision(TimeProvider time) => New("dec_", time);

    public static string Queued(TimeProvider time) => New("q_", time);

    public static string Rule(TimeProvider time) => New("rule_", time);

    /// <summary>A control request konsole sends the CLI (set_permission_mode, set_model, interrupt).</summary>
    public static string Control(TimeProvider time) => New("konsole_", time);

    private static string New(string prefix, TimeProvider time) => prefix + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
}
