using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>How a silo claims and fires due events.</summary>
public sealed record SchedulerOptions(
    TimeSpan PollInterval,
    int BatchSize,
    TimeSpan ClaimLease,
    int MaxInFlight)
{
    public static SchedulerOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new SchedulerOptions(
            configuration.GetMilliseconds("SCHEDULER_POLL_INTERVAL_MS", 1000, 10, 60_000),
            configuration.GetInt("SCHEDULER_BATCH_SIZE", 500, 1, 10_000),
            configuration.GetMilliseconds("ORCH_CLAIM_LEASE_MS", 60_000, 500, 3_600_000),
            configuration.GetInt("ORCH_MAX_IN_FLIGHT", 1000, 1, 100_000));
        return options;
    }
}
