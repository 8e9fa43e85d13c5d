using Microsoft.Extensions.Configuration;

namespace Orchestrator.Grains.Configuration;

/// <summary>Membership heartbeats and the maintenance lease.</summary>
public sealed record ClusterOptions(TimeSpan HeartbeatInterval, TimeSpan LeaderLease, TimeSpan MaintenanceTick)
{
    public static ClusterOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new ClusterOptions(
            configuration.GetMilliseconds("ORCH_SILO_HEARTBEAT_MS", 2_000, 50),
            configuration.GetMilliseconds("ORCH_LEADER_LEASE_MS", 10_000, 300),
            configuration.GetMilliseconds("ORCH_MAINTENANCE_TICK_MS", 250, 10, 60_000));
        var deadAfter = configuration.GetMilliseconds("ORCH_SILO_DEAD_AFTER_MS", 10_000, 500);
        if (deadAfter < options.HeartbeatInterval * 2)
        {
            throw new InvalidOperationException("ORCH_SILO_DEAD_AFTER_MS must be at least twice ORCH_SILO_HEARTBEAT_MS.");
        }
        return options;
    }
}
