using Orchestrator.Grains.Configuration;

namespace Orchestrator.Grains.Events;

/// <summary>
/// Exponential backoff with full jitter (a uniform delay in [0, min(max, base·2^(n-1))]),
/// so that retries of a failed herd spread out instead of returning together. A receiver's
/// Retry-After is a floor: we never come back sooner than it asked (up to RetryAfterMax).
/// </summary>
public sealed class RetryBackoff(RetryOptions options)
{
    public TimeSpan DelayBeforeRetry(int failedAttempt, TimeSpan? retryAfter)
    {
        var exponent = Math.Clamp(failedAttempt - 1, 0, 30);
        var ceilingMs = Math.Min(options.Max.TotalMilliseconds, options.Base.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceilingMs);
        if (retryAfter is { } floor && floor > jittered)
        {
            return floor < options.RetryAfterMax ? floor : options.RetryAfterMax;
        }
        return jittered;
    }
}
