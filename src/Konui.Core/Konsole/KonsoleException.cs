using System.Net;

namespace Konui.Core.Konsole;

/// <summary>Konsole refused a request; <see cref="Exception.Message"/> is its explanation.</summary>
public class KonsoleException(HttpStatusCode status, string message, string? runningTurnId = null) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string? RunningTurnId { get; } = runningTurnId;
}
