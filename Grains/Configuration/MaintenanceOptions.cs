using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>The maintenance duties' intervals and limits, each with its default.</summary>
public sealed record MaintenanceOptions(
    TimeSpan PartitionInterval,
    int PartitionDaysAhead,
    TimeSpan RetentionInterval,
    TimeSpan Retention,
    TimeSpan RecoveryInterval,
    TimeSpan SiloDeadAfter,
    TimeSpan StatisticsInterval,
    TimeSpan IdempotencyPurgeInterval,
    TimeSpan IdempotencyKeyTtl)
{
    public static MaintenanceOptions FromConfiguration(IConfiguration configuration)
    {
        var retentionDays = configuration.GetInt("CLEANUP_RETENTION_DAYS", 7, 1, 3650);
        return new MaintenanceOptions(
            configuration.GetMilliseconds("ORCH_PARTITION_INTERVAL_MS", 3_600_000, 100),
            configuration.GetInt("ORCH_PARTITION_DAYS_AHEAD", 14, 1, 400),
            configuration.GetMilliseconds("ORCH_RETENTION_INTERVAL_MS", 3_600_000, 100),
            TimeSpan.FromDays(retentionDays),
            configuration.GetMilliseconds("ORCH_LEASE_RECOVERY_INTERVAL_MS", 5_000, 100),
            configuration.GetMilliseconds("ORCH_SILO_DEAD_AFTER_MS", 10_000, 500),
            configuration.GetMilliseconds("ORCH_STATISTICS_REFRESH_MS", 10_000, 100),
            configuration.GetMilliseconds("ORCH_IDEMPOTENCY_PURGE_INTERVAL_MS", 3_600_000, 100),
            TimeSpan.FromHours(configuration.GetInt("ORCH_IDEMPOTENCY_TTL_HOURS", retentionDays * 24, 1)));
    }
}
