using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Events;

namespace Orchestrator.Tests.Lifecycle;

public sealed class RetryBackoffTests
{
    private static readonly RetryBackoff Backoff = new(new RetryOptions(
        Base: TimeSpan.FromSeconds(30), Max: TimeSpan.FromMinutes(10), RetryAfterMax: TimeSpan.FromHours(1)));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(5, 480)]
    [InlineData(6, 600)]
    [InlineData(40, 600)]
    public void Delays_are_full_jitter_under_an_exponential_ceiling(int attempt, int ceilingSeconds)
    {
        var delays = Enumerable.Range(0, 2000).Select(_ => Backoff.DelayBeforeRetry(attempt, null)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(ceilingSeconds)));
        // Full jitter spreads over the whole range rather than clustering at the ceiling.
        Assert.Contains(delays, d => d < TimeSpan.FromSeconds(ceilingSeconds * 0.25));
        Assert.Contains(delays, d => d > TimeSpan.FromSeconds(ceilingSeconds * 0.75));
    }

    [Fact]
    public void Retry_After_is_a_floor()
    {
        var delays = Enumerable.Range(0, 500).Select(_ => Backoff.DelayBeforeRetry(1, TimeSpan.FromSeconds(90)));

        Assert.All(delays, d => Assert.True(d >= TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void Retry_After_is_bounded()
    {
        Assert.Equal(TimeSpan.FromHours(1), Backoff.DelayBeforeRetry(1, TimeSpan.FromDays(365)));
    }
}
