using System.Runtime.InteropServices;

namespace Konsole;

/// <summary>
/// A path as the system resolves it (POSIX realpath): absolute, every symbolic link followed and every '.' and '..'
/// taken in order, so a link inside a folder that leads out of it is seen to lead out. Null, with the reason, when the
/// path does not resolve (missing, not a folder on the way, a loop, no permission).
/// </summary>
internal static partial class RealPath
{
    private const int NoEntry = 2;
    private const int NoPermission = 13;
    private const int NotAFolder = 20;
    private const int LinkLoop = 40;

    public static string? Of(string path, out string? whyNot)
    {
        whyNot = null;
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            whyNot = "it holds a NUL character";
            return null;
        }
        var resolved = Resolve(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            whyNot = Marshal.GetLastPInvokeError() switch
            {
                NoEntry => "it does not exist",
                NotAFolder => "a part of it is not a folder",
                NoPermission => "konsole may not look into it",
                LinkLoop => "its symbolic links go round in a loop",
                var code => $"the system could not resolve it (errno {code})",
            };
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or inside it (both real paths).</summary>
    public static bool IsWithin(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr Resolve(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
