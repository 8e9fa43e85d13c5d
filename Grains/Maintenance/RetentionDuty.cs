using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Grains.Maintenance;

/// <summary>
/// Drops whole daily partitions once everything in them finished more than
/// CLEANUP_RETENTION_DAYS ago. A partition still holding a PENDING or PROCESSING event is
/// kept, however old. DROP TABLE, not DELETE: no bloat, no WAL storm.
/// </summary>
public sealed class RetentionDuty(EventStore events, MaintenanceOptions options) : IMaintenanceDuty
{
    public string Name => "retention";

    public TimeSpan Interval => options.RetentionInterval;

    public async Task<DutyOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        var dropped = await events.DropExpiredPartitionsAsync(options.Retention, cancellationToken);
        return new DutyOutcome(dropped.Count, dropped.Count == 0
            ? "no partition past retention"
            : $"dropped {string.Join(", ", dropped)}");
    }
}
