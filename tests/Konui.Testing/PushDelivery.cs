using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Konui.Testing;

/// <summary>
/// One Web Push request as a push service got it: for which device, its headers (lower-case names), its encrypted
/// body and when it arrived. <see cref="Vapid"/> reads and checks the VAPID authorization it carries (RFC 8292).
/// </summary>
public sealed record PushDelivery(string Device, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ReceivedAt)
{
    public string Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant(), "");

    /// <summary>
    /// The VAPID authorization ("vapid t=&lt;JWT&gt;, k=&lt;public key&gt;"): the public key, and the JWT's claims once its
    /// ES256 signature is checked against that key. Throws when the header is missing or the signature is wrong.
    /// </summary>
    public (string PublicKey, JsonElement Claims) Vapid()
    {
        var authorization = Header("authorization");
        if (!authorization.StartsWith("vapid ", StringComparison.Ordinal)) throw new InvalidDataException($"Not a VAPID authorization: '{authorization}'");
        var parts = authorization[6..].Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var (token, key) = (parts["t"], parts["k"]);
        var sections = token.Split('.');
        var publicKey = WebEncoders.Base64UrlDecode(key);
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = publicKey[1..33], Y = publicKey[33..65] } });
        if (!verifier.VerifyData(Encoding.ASCII.GetBytes(sections[0] + "." + sections[1]), WebEncoders.Base64UrlDecode(sections[2]), HashAlgorithmName.SHA256))
        {
            throw new CryptographicException("The VAPID token's signature does not match its key.");
        }
        return (key, JsonDocument.Parse(WebEncoders.Base64UrlDecode(sections[1])).RootElement.Clone());
    }
}
