using Konui.Core.Kontasks;

// Usage: KontaskWriter <file> <writer name> <count>
// Appends <count> kontasks, each with a distinct id and a description long enough to make a torn write visible.
var (file, writer, count) = (args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
var padding = new string((char)('a' + writer.Length % 26), 3000);
for (var i = 0; i < count; i++)
{
    KontaskFile.AppendLine(file, KontaskJson.SerializeLine(new Kontask
    {
        Id = $"{writer}-{i}",
        Title = $"{writer} #{i}",
        Description = padding,
        CreatedBy = writer,
        CreatedAt = DateTimeOffset.UtcNow,
    }));
}
