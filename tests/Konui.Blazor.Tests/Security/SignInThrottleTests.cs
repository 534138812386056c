using Konui.Blazor.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Konui.Blazor.Tests.Security;

/// <summary>Wrong tokens from one client: free at first, then slower and slower, then a lockout that ends.</summary>
public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests() => _throttle = new SignInThrottle(_clock, NullLogger<SignInThrottle>.Instance);

    /// <summary>Fails as a client retrying as soon as it is allowed would: waits out each wait, then fails again.</summary>
    private void FailAsSoonAsAllowed(string client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _clock.Advance(_throttle.WaitFor(client));
            Assert.Equal(TimeSpan.Zero, _throttle.WaitFor(client));
            _throttle.Failed(client);
        }
    }

    [Fact]
    public void Three_wrong_tokens_cost_nothing_then_each_next_try_waits_twice_as_long()
    {
        FailAsSoonAsAllowed("10.0.0.1", 3);
        Assert.Equal(TimeSpan.Zero, _throttle.WaitFor("10.0.0.1"));

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            FailAsSoonAsAllowed("10.0.0.1", 1);
            waits.Add(_throttle.WaitFor("10.0.0.1"));
        }

        Assert.Equal([1, 2, 4, 8, 16, 32], waits.Select(w => w.TotalSeconds));
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(TimeSpan.FromSeconds(1), _throttle.WaitFor("10.0.0.1"));
    }

    [Fact]
    public void The_tenth_failure_locks_the_client_out_for_a_quarter_hour_and_then_it_may_sign_in()
    {
        FailAsSoonAsAllowed("10.0.0.1", SignInThrottle.LockoutAfter);

        Assert.Equal(SignInThrottle.Lockout, _throttle.WaitFor("10.0.0.1"));
        _clock.Advance(SignInThrottle.Lockout - TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), _throttle.WaitFor("10.0.0.1"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, _throttle.WaitFor("10.0.0.1"));

        // After a lockout the client starts afresh: three free tries again, not an instant new lockout.
        FailAsSoonAsAllowed("10.0.0.1", 3);
        Assert.Equal(TimeSpan.Zero, _throttle.WaitFor("10.0.0.1"));
        FailAsSoonAsAllowed("10.0.0.1", 1);
        Assert.Equal(TimeSpan.FromSeconds(1), _throttle.WaitFor("10.0.0.1"));
    }

    [Fact]
    public void One_client_s_failures_do_not_slow_another_and_the_right_token_forgives_them()
    {
        FailAsSoonAsAllowed("10.0.0.1", 5);
        Assert.Equal(TimeSpan.Zero, _throttle.WaitFor("10.0.0.2"));

        _clock.Advance(_throttle.WaitFor("10.0.0.1"));
        _throttle.Succeeded("10.0.0.1");
        _throttle.Failed("10.0.0.1");

        Assert.Equal(TimeSpan.Zero, _throttle.WaitFor("10.0.0.1"));
    }

    [Fact]
    public void Failures_older_than_the_lockout_are_forgotten()
    {
        FailAsSoonAsAllowed("10.0.0.1", 6);

        _clock.Advance(SignInThrottle.Lockout);
        _throttle.Failed("10.0.0.1");

        Assert.Equal(TimeSpan.Zero, _throttle.WaitFor("10.0.0.1"));
    }
}
