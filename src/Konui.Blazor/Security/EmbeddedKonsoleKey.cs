using System.Security.Cryptography;
using System.Text;

namespace Konui.Blazor.Security;

/// <summary>
/// What Konui's watch of its embedded konsole shows that konsole's API, when Konui has an access token: made afresh at
/// each start and never leaving the process, so no one else holds it. Being unguessable, it is not throttled: a browser
/// that keeps guessing the access token from this machine neither locks Konui out of its own konsole nor is forgiven
/// by its calls.
/// </summary>
public sealed class EmbeddedKonsoleKey
{
    private readonly byte[] _key;

    public EmbeddedKonsoleKey()
    {
        Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _key = Encoding.UTF8.GetBytes(Value);
    }

    public string Value { get; }

    public bool Matches(string candidate) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);
}
