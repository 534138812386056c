namespace Konui.Testing;

/// <summary>The time generated data is made at, so its ids and timestamps follow a made-up history.</summary>
public sealed class GeneratorClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
