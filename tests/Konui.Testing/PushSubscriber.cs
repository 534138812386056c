using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Konui.Testing;

/// <summary>
/// What a browser does when it subscribes to Web Push, done by the test: a P-256 key pair and a 16-byte
/// authentication secret (<see cref="P256dh"/> and <see cref="Auth"/>, base64url, as PushSubscription.toJSON() gives
/// them), and the decryption of what arrives for it (RFC 8291 over RFC 8188's aes128gcm).
/// </summary>
public sealed class PushSubscriber : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _auth = RandomNumberGenerator.GetBytes(16);
    private readonly byte[] _public;

    public PushSubscriber(string endpoint)
    {
        Endpoint = endpoint;
        var q = _key.ExportParameters(false).Q;
        _public = [0x04, .. q.X!, .. q.Y!];
    }

    public string Endpoint { get; }

    public string P256dh => WebEncoders.Base64UrlEncode(_public);

    public string Auth => WebEncoders.Base64UrlEncode(_auth);

    /// <summary>The subscription as a browser posts it.</summary>
    public object Subscription(string name) => new { endpoint = Endpoint, keys = new { p256dh = P256dh, auth = Auth }, name };

    /// <summary>Decrypts a push message's body (a single aes128gcm record) to its text.</summary>
    public string Decrypt(byte[] body)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        var idLength = body[20];
        var serverPublic = body[21..(21 + idLength)];
        var record = body[(21 + idLength)..];
        if (record.Length > recordSize) throw new InvalidDataException($"More than one record ({record.Length} bytes, record size {recordSize}).");

        using var server = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = serverPublic[1..33], Y = serverPublic[33..65] },
        });
        var ecdhSecret = _key.DeriveRawSecretAgreement(server.PublicKey);
        var keyInfo = Concat(Encoding.ASCII.GetBytes("WebPush: info\0"), _public, serverPublic);
        var ikm = HMACSHA256.HashData(HMACSHA256.HashData(_auth, ecdhSecret), Concat(keyInfo, [1]));
        var prk = HMACSHA256.HashData(salt, ikm);
        var contentKey = HMACSHA256.HashData(prk, Concat(Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"), [1]))[..16];
        var nonce = HMACSHA256.HashData(prk, Concat(Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"), [1]))[..12];

        var plain = new byte[record.Length - 16];
        using (var aes = new AesGcm(contentKey, 16)) aes.Decrypt(nonce, record[..^16], record[^16..], plain);
        var end = Array.LastIndexOf(plain, (byte)0x02);
        if (end < 0 || plain.Skip(end + 1).Any(b => b != 0)) throw new InvalidDataException("The last record's padding does not end with the 0x02 delimiter.");
        return Encoding.UTF8.GetString(plain, 0, end);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public void Dispose() => _key.Dispose();
}
