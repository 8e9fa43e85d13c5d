using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Silo.Maintenance;

/// <summary>Returns events whose silo died mid-delivery (their claim lease ran out) to the queue.</summary>
public sealed class LeaseRecoveryDuty(EventStore store, SchedulerOptions options, ILogger<LeaseRecoveryDuty> logger) : PeriodicDuty(logger)
{
    private const int BatchSize = 1_000;

    protected override TimeSpan Interval => options.LeaseRecoveryInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int recovered;
        do
        {
            recovered = await store.RecoverExpiredLeasesAsync(BatchSize, cancellationToken);
            total += recovered;
        }
        while (recovered == BatchSize);
        if (total > 0)
        {
            logger.LogInformation("Recovered {Count} events whose claim lease expired", total);
        }
    }
}
