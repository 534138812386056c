using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Konui.Core.Kontasks;

/// <summary>
/// Reads what <see cref="BinaryWriter"/> wrote to kontasks.index (little-endian numbers, strings as a 7-bit encoded
/// byte count and UTF-8) straight from a buffer refilled a megabyte at a time: a start reads 100,000 summaries, about
/// 40 values each, and a <see cref="BinaryReader"/> over a <see cref="FileStream"/> spends most of that time in the
/// stream's calls for each value. Throws <see cref="EndOfStreamException"/> when the file ends inside a value.
/// </summary>
internal sealed class KontaskIndexFileReader
{
    private const int BufferBytes = 1 << 20;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[BufferBytes];
    private int _position;
    private int _end;
    private long _unread;

    public KontaskIndexFileReader(Stream stream)
    {
        _stream = stream;
        _unread = stream.Length - stream.Position;
    }

    /// <summary>Whether every byte of the file has been read.</summary>
    public bool AtEnd => _position == _end && _unread == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (_position == _end) Fill(1);
        return _buffer[_position++];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadBoolean() => ReadByte() != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(sizeof(short)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));

    public string ReadString()
    {
        var bytes = Read7BitEncodedInt();
        if (bytes < 0) throw new FormatException($"a text of {bytes} bytes");
        return bytes == 0 ? string.Empty : Encoding.UTF8.GetString(Take(bytes));
    }

    public byte[] ReadBytes(int count) => Take(count).ToArray();

    private int Read7BitEncodedInt()
    {
        var value = 0u;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var part = ReadByte();
            value |= (uint)(part & 0x7F) << shift;
            if (part < 0x80) return (int)value;
        }
        throw new FormatException("a text length of more than five bytes");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if (_end - _position < count) Fill(count);
        var taken = _buffer.AsSpan(_position, count);
        _position += count;
        return taken;
    }

    /// <summary>Moves what is left to the buffer's start and reads on until at least <paramref name="count"/> bytes are there.</summary>
    private void Fill(int count)
    {
        var left = _end - _position;
        if (count - left > _unread) throw new EndOfStreamException($"the file ends {_unread + left} bytes on, inside a value of {count}");
        if (count > _buffer.Length) Array.Resize(ref _buffer, count);
        _buffer.AsSpan(_position, left).CopyTo(_buffer);
        _position = 0;
        _end = left;
        while (_end < count)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) throw new EndOfStreamException("the file is shorter than its length said");
            _end += read;
            _unread -= read;
        }
    }
}
