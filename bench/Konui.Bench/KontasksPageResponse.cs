namespace Konui.Bench;

/// <summary>What a GET of the Kontasks page returned: how many kontask rows, its count text and its size.</summary>
internal readonly record struct KontasksPageResponse(int Rows, string CountText, int Bytes);
