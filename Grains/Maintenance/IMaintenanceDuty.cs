namespace Orchestrator.Grains.Maintenance;

/// <summary>What a duty run reports: how many things it touched and, in a line, what.</summary>
public sealed record DutyOutcome(long Affected, string Summary);

/// <summary>
/// One background duty of the maintenance grain, River-style: a name, an interval, and a run
/// that works in batches until a batch comes back short.
/// </summary>
public interface IMaintenanceDuty
{
    string Name { get; }

    TimeSpan Interval { get; }

    Task<DutyOutcome> RunOnceAsync(CancellationToken cancellationToken);
}
