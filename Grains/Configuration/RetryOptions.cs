using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>
/// Exponential backoff with full jitter: base × 2^(attempt-1), capped at Max. A receiver's
/// Retry-After is honoured up to RetryAfterMax, so a broken header cannot park an event for a year.
/// </summary>
public sealed record RetryOptions(TimeSpan Base, TimeSpan Max, TimeSpan RetryAfterMax)
{
    public static RetryOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new RetryOptions(
            configuration.GetMilliseconds("ORCH_RETRY_BASE_MS", 30_000, 1),
            configuration.GetMilliseconds("ORCH_RETRY_MAX_MS", 3_600_000, 1),
            configuration.GetMilliseconds("ORCH_RETRY_AFTER_MAX_MS", 3_600_000, 1));
        if (options.Max < options.Base)
        {
            throw new InvalidOperationException("ORCH_RETRY_MAX_MS must not be below ORCH_RETRY_BASE_MS.");
        }
        return options;
    }
}
