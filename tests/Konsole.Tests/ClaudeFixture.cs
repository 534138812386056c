using Konui.Testing;

namespace Konsole.Tests;

/// <summary>One Konui with the real CLI for a test class; each test scripts the model for itself.</summary>
public sealed class ClaudeFixture : IAsyncLifetime
{
    public KonuiWithClaude Rig { get; private set; } = null!;

    public async Task InitializeAsync() => Rig = await KonuiWithClaude.StartAsync();

    public Task DisposeAsync() => Rig is null ? Task.CompletedTask : Rig.DisposeAsync().AsTask();
}
