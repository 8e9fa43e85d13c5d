using Orchestrator.Grains.Runtime;

namespace Orchestrator.Grains.Maintenance;

/// <summary>
/// The cluster's singleton maintenance grain (key <see cref="Guid.Empty"/>). Its scheduled
/// duties run on whichever silo holds the maintenance lease, once per period across the
/// cluster; an operator can also run them all now, from any node.
/// </summary>
public interface IMaintenanceGrain : IGrainWithGuidKey
{
    /// <summary>Runs every duty once, now, one after another; reports what each did.</summary>
    Task<IReadOnlyList<DutyReport>> RunNowAsync(CancellationToken cancellationToken);

    /// <summary>Runs, as the lease holder at <paramref name="epoch"/>, the duties whose current period has not run yet.</summary>
    Task<IReadOnlyList<DutyReport>> RunDueAsync(Guid siloId, long epoch, CancellationToken cancellationToken);

    /// <summary>Silos, the leader, and each duty's last run.</summary>
    Task<ClusterView> GetClusterViewAsync(CancellationToken cancellationToken);
}
