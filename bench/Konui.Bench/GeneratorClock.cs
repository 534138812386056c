namespace Konui.Bench;

/// <summary>The time the generated kontasks are made at, so their ids and timestamps follow a made-up history.</summary>
internal sealed class GeneratorClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
