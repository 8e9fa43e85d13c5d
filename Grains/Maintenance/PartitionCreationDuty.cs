using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Grains.Maintenance;

/// <summary>
/// Creates the daily event partitions ahead (ORCH_PARTITION_DAYS_AHEAD). Events scheduled
/// further out wait in the default partition and move into their day's partition when it
/// is created, so no horizon is too far and no insert ever fails for want of a partition.
/// </summary>
public sealed class PartitionCreationDuty(EventStore events, MaintenanceOptions options, TimeProvider clock) : IMaintenanceDuty
{
    public string Name => "partition_creation";

    public TimeSpan Interval => options.PartitionInterval;

    public async Task<DutyOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var created = await events.EnsurePartitionsAsync(today.AddDays(-1), options.PartitionDaysAhead + 2, cancellationToken);
        return new DutyOutcome(created, created == 0 ? "partitions already in place" : $"created {created} daily partitions");
    }
}
