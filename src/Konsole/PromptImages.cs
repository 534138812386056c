using Konui.Core.Konsole;

namespace Konsole;

/// <summary>Checks the images of a prompt: PNG, JPEG, GIF or WebP by their bytes, valid base64, at most 5 MB each.</summary>
internal static class PromptImages
{
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>The images with the media type their bytes show, or the reason the first bad one is refused.</summary>
    public static (IReadOnlyList<TurnImage> Images, string? Error) Check(IReadOnlyList<TurnImage>? images)
    {
        var checkedImages = new List<TurnImage>();
        if (images is null) return (checkedImages, null);
        for (var i = 0; i < images.Count; i++)
        {
            var name = $"image {i + 1}";
            var image = images[i];
            if (string.IsNullOrEmpty(image.Base64)) return ([], $"{name} is empty.");
            var bytes = new byte[(image.Base64.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(image.Base64, bytes, out var length)) return ([], $"{name} is not valid base64.");
            if (length > MaxBytes) return ([], $"{name} is {length / 1024.0 / 1024.0:F1} MB; the limit is 5 MB.");
            var actual = Detect(bytes.AsSpan(0, length));
            if (actual is null) return ([], $"{name} is not a PNG, JPEG, GIF or WebP image.");
            if (!string.Equals(image.MediaType, actual, StringComparison.OrdinalIgnoreCase))
            {
                return ([], $"{name} says it is {image.MediaType} but its bytes are {actual}.");
            }
            checkedImages.Add(new TurnImage(actual, image.Base64));
        }
        return (checkedImages, null);
    }

    private static string? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8)) return "image/gif";
        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        return null;
    }
}
