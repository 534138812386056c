namespace Konui.Core.Kontasks;

/// <summary>The one place kontask ids come from: "kt_" and a time-ordered GUID, so ids sort by creation.</summary>
public static class KontaskIds
{
    public static string New(TimeProvider time) => "kt_" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
}
