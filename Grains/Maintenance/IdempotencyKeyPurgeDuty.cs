using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Grains.Maintenance;

/// <summary>Forgets idempotency keys older than ORCH_IDEMPOTENCY_TTL_HOURS, in batches.</summary>
public sealed class IdempotencyKeyPurgeDuty(IdempotencyKeyStore keys, MaintenanceOptions options) : IMaintenanceDuty
{
    private const int BatchSize = 10_000;

    public string Name => "idempotency_key_purge";

    public TimeSpan Interval => options.IdempotencyPurgeInterval;

    public async Task<DutyOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        long purged = 0;
        int batch;
        do
        {
            batch = await keys.PurgeAsync(options.IdempotencyKeyTtl, BatchSize, cancellationToken);
            purged += batch;
        }
        while (batch == BatchSize);
        return new DutyOutcome(purged, purged == 0 ? "no expired keys" : $"purged {purged} expired keys");
    }
}
