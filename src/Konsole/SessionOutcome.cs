using Konui.Core.Konsole;

namespace Konsole;

/// <summary>The HTTP answer to a change of a session: its status, the error in words, or what the change did.</summary>
internal sealed record SessionOutcome(int Status, string? Error, SessionChange? Change)
{
    public static SessionOutcome Refused(int status, string error) => new(status, error, null);
}
