namespace Konui.Core.Kontasks;

/// <summary>
/// Appends whole lines to a JSONL file so that writers in several processes never tear or interleave a line:
/// every Konui writer takes an exclusive lock on "&lt;file&gt;.lock", then writes its line in one call.
/// </summary>
public static class KontaskFile
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    public static void AppendLine(string path, ReadOnlySpan<byte> line)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var exclusive = AcquireLock(path + ".lock");
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var length = file.Length;
        var needsSeparator = false;
        if (length > 0)
        {
            // A writer that died mid-line left no newline: start ours on a line of its own.
            file.Position = length - 1;
            needsSeparator = file.ReadByte() != '\n';
        }
        var bytes = new byte[line.Length + (needsSeparator ? 2 : 1)];
        var at = 0;
        if (needsSeparator) bytes[at++] = (byte)'\n';
        line.CopyTo(bytes.AsSpan(at));
        bytes[^1] = (byte)'\n';
        file.Position = length;
        file.Write(bytes);
        file.Flush();
    }

    private static FileStream AcquireLock(string lockPath)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        var wait = 1;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(wait);
                wait = Math.Min(wait * 2, 20);
            }
        }
    }
}
