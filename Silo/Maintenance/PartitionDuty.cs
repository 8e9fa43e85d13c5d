using Orchestrator.Api.Hosting;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Silo.Maintenance;

/// <summary>Keeps daily event partitions created ahead of time.</summary>
public sealed class PartitionDuty(EventStore store, ILogger<PartitionDuty> logger) : PeriodicDuty(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var created = await store.EnsurePartitionsAsync(today, DatabaseStartup.PartitionDaysAhead + 1, cancellationToken);
        if (created > 0)
        {
            logger.LogInformation("Created {Count} event partitions ahead", created);
        }
    }
}
