using System.Text;
using Konui.Core.Kontasks;

namespace Konui.Core.Tests.Kontasks;

/// <summary>Records another process appended that are far over the limits: indexed as bounded excerpts, never read in full.</summary>
public sealed class HugeKontaskTests : IDisposable
{
    private readonly StoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void A_huge_record_is_indexed_as_a_bounded_excerpt_and_read_as_its_summary()
    {
        var description = "Disk report. " + new string('d', 20 * 1024 * 1024);
        var tags = string.Join(',', Enumerable.Range(0, 500).Select(i => $"\"tag{i}-{new string('t', 200)}\""));
        _f.WriteRaw(StoreFixture.Line("kt_small", "Small one"));
        _f.WriteRaw(StoreFixture.Line("kt_huge", new string('T', 10_000),
            $",\"description\":\"{description}\",\"scope\":\"{new string('s', 1024 * 1024)}\",\"tags\":[{tags}]," +
            $"\"context\":{{\"output\":\"<p>{new string('x', 3 * 1024 * 1024)}</p>\"}},\"notes\":\"{new string('n', 5 * 1024 * 1024)}\""));

        _f.Store.Start();
        var summary = _f.Store.FindSummary("kt_huge")!;

        Assert.Equal(2, _f.Store.Count);
        Assert.Equal(KontaskLimits.TitleChars, summary.Title.Length);
        Assert.EndsWith("…", summary.Title, StringComparison.Ordinal);
        Assert.Equal(KontaskLimits.DescriptionExcerptChars, summary.Description!.Length);
        Assert.StartsWith("Disk report. ddd", summary.Description, StringComparison.Ordinal);
        Assert.Equal(KontaskLimits.ShortTextChars, summary.Scope!.Length);
        Assert.Equal(KontaskLimits.Tags, summary.Tags.Count);
        Assert.All(summary.Tags, t => Assert.True(t.Length <= KontaskLimits.ShortTextChars));
        Assert.True(summary.IsOversize);

        var read = _f.Store.Get("kt_huge")!;
        Assert.Equal(summary.Title, read.Title);
        Assert.Equal(summary.Description, read.Description);
        Assert.Contains("over Konui's limit of 2.25 MB for one kontask, so only its summary is shown", read.Context!.Output, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(KontaskJson.Serialize(read)) < 8 * 1024, "the record as read stays small");
        Assert.Equal("Small one", _f.Store.Get("kt_small")!.Title);
    }

    [Fact]
    public void A_description_within_the_limits_is_read_in_full_and_listed_as_an_excerpt()
    {
        var description = string.Concat(Enumerable.Repeat("Findings on the build. ", 80));
        _f.WriteRaw(StoreFixture.Line("kt_long", "Long description", $",\"description\":\"{description}\""));

        _f.Store.Start();
        var summary = _f.Store.FindSummary("kt_long")!;

        Assert.Equal(KontaskLimits.DescriptionExcerptChars, summary.Description!.Length);
        Assert.Equal(description[..(KontaskLimits.DescriptionExcerptChars - 1)] + "…", summary.Description);
        Assert.False(summary.IsOversize);
        Assert.Equal(description, _f.Store.Get("kt_long")!.Description);
    }
}
