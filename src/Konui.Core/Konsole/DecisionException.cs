using System.Net;
using Konui.Core.Turns;

namespace Konui.Core.Konsole;

/// <summary>An answer came too late: the decision was decided already (<see cref="Decided"/>, when konsole still knows how) or is closed.</summary>
public sealed class DecisionException(string message, DecisionResult? decided) : KonsoleException(HttpStatusCode.Conflict, message)
{
    public DecisionResult? Decided { get; } = decided;
}
