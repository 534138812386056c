using System.Runtime.InteropServices;
using Konui.Core.Kontasks;

// Usage: KontaskWriter <file> <writer name> <count> [konui|o-append]
// Appends <count> kontasks, each with a distinct id and a description long enough to make a torn write visible.
// "konui" (the default) appends through Konui's own KontaskFile; "o-append" appends as any other program would
// (a shell's >>): open(O_APPEND) and one write() per line, knowing nothing of Konui.
var (file, writer, count) = (args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
var foreign = args.Length > 3 && args[3] == "o-append";
var padding = new string((char)('a' + writer.Length % 26), 3000);
for (var i = 0; i < count; i++)
{
    var line = KontaskJson.SerializeLine(new Kontask
    {
        Id = $"{writer}-{i}",
        Title = $"{writer} #{i}",
        Description = padding,
        CreatedBy = writer,
        CreatedAt = DateTimeOffset.UtcNow,
    });
    if (foreign) ForeignAppender.AppendLine(file, line);
    else KontaskFile.AppendLine(file, line);
}

internal static partial class ForeignAppender
{
    private const int WriteOnly = 0x1, Create = 0x40, Append = 0x400;

    public static void AppendLine(string path, byte[] line)
    {
        var bytes = new byte[line.Length + 1];
        line.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        var fd = Open(path, WriteOnly | Create | Append, 0x1B6);
        if (fd < 0) throw new IOException($"open {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Write(fd, bytes, bytes.Length) != bytes.Length) throw new IOException($"write {path}: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
