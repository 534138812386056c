using System.Runtime.InteropServices;

namespace Konui.Core.Kontasks;

/// <summary>
/// Appends whole lines to a JSONL file that other processes append to as well: each line goes out as one write()
/// on a descriptor opened with O_APPEND, so the kernel puts it at the end of the file as it is at that moment and
/// never over a line another writer appended. (.NET's FileMode.Append writes at the length it remembered.)
/// </summary>
public static partial class KontaskFile
{
    /// <summary>open(2) flags: O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, whose values differ between Linux and macOS.</summary>
    private static readonly int AppendFlags = OperatingSystem.IsMacOS() ? 0x1 | 0x200 | 0x8 | 0x1000000 : 0x1 | 0x40 | 0x400 | 0x80000;
    private const int Interrupted = 4;
    private const long StillForMs = 50;

    public static void AppendLine(string path, ReadOnlySpan<byte> line)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // A writer that died mid-line left no newline: start ours on a line of its own.
        var bytes = new byte[line.Length + (EndsMidLine(path) ? 2 : 1)];
        var at = bytes.Length - line.Length - 1;
        if (at == 1) bytes[0] = (byte)'\n';
        line.CopyTo(bytes.AsSpan(at));
        bytes[^1] = (byte)'\n';

        var fd = Open(path, AppendFlags, 0x1B6);
        if (fd < 0) throw Failure("open", path);
        try
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var n = Write(fd, bytes.AsSpan(written), bytes.Length - written);
                if (n < 0 && Marshal.GetLastPInvokeError() == Interrupted) continue;
                if (n <= 0) throw Failure("write", path);
                written += (int)n;
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Whether the file ends in a fragment a writer left when it died. A line another process is writing at this
    /// moment shows no newline yet either, so a fragment counts only once the length has held still for a while; if
    /// a stalled writer is taken for a dead one anyway, the cost is an empty line, which readers skip.
    /// </summary>
    private static bool EndsMidLine(string path)
    {
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var length = file.Length;
        var stillSince = Environment.TickCount64;
        while (length > 0)
        {
            file.Position = length - 1;
            if (file.ReadByte() is '\n' or -1) return false;
            if (Environment.TickCount64 - stillSince >= StillForMs) return true;
            Thread.Sleep(2);
            var now = file.Length;
            if (now != length) (length, stillSince) = (now, Environment.TickCount64);
        }
        return false;
    }

    private static IOException Failure(string call, string path) =>
        new($"Appending to {path} failed: {call}() errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
