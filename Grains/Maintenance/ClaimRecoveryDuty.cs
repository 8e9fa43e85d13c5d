using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage.Cluster;
using Orchestrator.Grains.Storage.Events;

namespace Orchestrator.Grains.Maintenance;

/// <summary>
/// Declares silos silent past ORCH_SILO_DEAD_AFTER_MS dead, then returns abandoned claims to
/// the queue: those of silos no longer alive at once, and any whose lease ran out.
/// </summary>
public sealed class ClaimRecoveryDuty(SiloStore silos, EventStore events, MaintenanceOptions options) : IMaintenanceDuty
{
    private const int BatchSize = 1_000;

    public string Name => "claim_recovery";

    public TimeSpan Interval => options.RecoveryInterval;

    public async Task<DutyOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        var dead = await silos.DeclareDeadAsync(options.SiloDeadAfter, cancellationToken);
        var recovered = 0;
        int batch;
        do
        {
            batch = await events.RecoverAbandonedClaimsAsync(BatchSize, cancellationToken);
            recovered += batch;
        }
        while (batch == BatchSize);

        var summary = (dead.Count, recovered) switch
        {
            (0, 0) => "nothing abandoned",
            (0, _) => $"recovered {recovered} abandoned claims",
            _ => $"declared {dead.Count} silos dead ({string.Join(", ", dead)}); recovered {recovered} claims",
        };
        return new DutyOutcome(recovered + dead.Count, summary);
    }
}
